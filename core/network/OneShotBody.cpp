#include "network/OneShotBody.h"

#include "engine/Wipe.h"

#include <cstring>

namespace waotp {

OneShotBody::OneShotBody(QByteArray data, QObject *parent)
    : QIODevice(parent), m_data(std::move(data)), m_size(m_data.size())
{
    open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

OneShotBody::~OneShotBody()
{
    wipe(m_data);
}

bool OneShotBody::seek(qint64 pos)
{
    if (m_started && pos != m_readPos)
        return false;
    if (!QIODevice::seek(pos))
        return false;
    m_readPos = pos;
    return true;
}

qint64 OneShotBody::readData(char *out, qint64 max)
{
    const qint64 n = std::min<qint64>(max, m_size - m_readPos);
    if (n <= 0)
        return m_readPos >= m_size ? -1 : 0;
    std::memcpy(out, m_data.constData() + m_readPos, size_t(n));
    m_readPos += n;
    m_started = true;
    if (m_readPos == m_size)
        overwrite(m_data); // written out: it cannot be sent again (see seek())
    return n;
}

} // namespace waotp
