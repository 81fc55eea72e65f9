#pragma once

#include <QHash>
#include <QHashSeed>

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>

namespace waotp {

/// A hash table in 256 parts, each a QHash, chosen by the top bits of the key's hash: each part
/// grows on its own, so a growing table moves 1/256 of its entries at a time. A QHash doubles
/// by moving every entry at once: at a few hundred thousand entries that is 10 to 20 ms in
/// which an event loop answers nobody (the table of numbers lately verified, on waotp-server's
/// event loop under load). Lookups, insertions and removals cost what QHash's do plus one more
/// hash of the key.
///
/// Entries that have outlived their use leave with pruneBefore(), part by part, as each part
/// grows, instead of in one pass over the whole table.
template<typename Key, typename T> class SplitHash
{
public:
    static constexpr std::size_t Parts = 256;

    bool contains(const Key &key) const { return partOf(key).contains(key); }
    T value(const Key &key, const T &fallback = T()) const
    {
        return partOf(key).value(key, fallback);
    }
    void insert(const Key &key, T value) { partOf(key).insert(key, std::move(value)); }
    bool remove(const Key &key) { return partOf(key).remove(key); }
    qsizetype size() const
    {
        qsizetype n = 0;
        for (const QHash<Key, T> &part : m_parts)
            n += part.size();
        return n;
    }
    void clear()
    {
        for (QHash<Key, T> &part : m_parts)
            part.clear();
        m_pruneAt.fill(0);
    }

    /// Before an insertion of @p key: when @p key's part has doubled since it was last pruned
    /// (or holds MinPruned entries, the first time), removes the part's entries whose value
    /// @p stale says are of no more use. Every entry is so looked at about once per doubling of
    /// its part: O(1) an insertion over time, and never more than one part at once.
    template<typename Stale> void pruneBefore(const Key &key, Stale stale)
    {
        const std::size_t p = partIndex(key);
        QHash<Key, T> &part = m_parts[p];
        if (part.size() < m_pruneAt[p])
            return;
        part.removeIf([&stale](const auto &entry) { return stale(entry.value()); });
        m_pruneAt[p] = std::max<qsizetype>(MinPruned, 2 * part.size());
    }

    /// The part that holds @p key (tests: the parts are filled evenly).
    static std::size_t partIndex(const Key &key)
    {
        // The top bits: QHash picks a bucket in a part by the low bits of the same hash.
        constexpr int Shift = std::numeric_limits<std::size_t>::digits - 8;
        return std::size_t(qHash(key, QHashSeed::globalSeed())) >> Shift;
    }
    const QHash<Key, T> &part(std::size_t index) const { return m_parts[index]; }

private:
    static constexpr qsizetype MinPruned = 16;
    static_assert(Parts == 256, "partIndex() takes 8 bits of the hash");

    QHash<Key, T> &partOf(const Key &key) { return m_parts[partIndex(key)]; }
    const QHash<Key, T> &partOf(const Key &key) const { return m_parts[partIndex(key)]; }

    std::array<QHash<Key, T>, Parts> m_parts;
    std::array<qsizetype, Parts> m_pruneAt {}; // a part's size at which it is pruned next
};

} // namespace waotp
