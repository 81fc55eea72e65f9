# Warnings for every target of the project; -Werror in CI (WAOTP_WERROR=ON).
add_compile_options(
    -Wall -Wextra -Wpedantic
    -Wnon-virtual-dtor -Woverloaded-virtual -Wshadow=local -Wcast-qual
    -Wformat=2 -Wimplicit-fallthrough)
if(WAOTP_WERROR)
    add_compile_options(-Werror)
endif()

if(WAOTP_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
