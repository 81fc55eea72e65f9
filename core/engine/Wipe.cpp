#include "engine/Wipe.h"

#include <cstring>

namespace waotp {

namespace {
void zero(void *data, std::size_t size)
{
    // explicit_bzero: unlike memset, never optimised away because the memory is freed next.
    ::explicit_bzero(data, size);
}
} // namespace

bool overwrite(QByteArray &data)
{
    if (data.isEmpty() || !data.isDetached())
        return false;
    zero(data.data(), std::size_t(data.size()));
    return true;
}

bool overwrite(QString &text)
{
    if (text.isEmpty() || !text.isDetached())
        return false;
    zero(text.data(), std::size_t(text.size()) * sizeof(QChar));
    return true;
}

void wipe(QByteArray &data)
{
    overwrite(data);
    data.clear();
}

void wipe(QString &text)
{
    overwrite(text);
    text.clear();
}

} // namespace waotp
