# Included by the top-level CMakeLists.txt when WAOTP_BUILD_FUZZERS is ON, before any target:
# every library the fuzzers link is instrumented for coverage and built with ASan + UBSan.
# Configure it as a build of its own:
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DWAOTP_BUILD_FUZZERS=ON \
#       -DWAOTP_BUILD_TESTS=OFF -DWAOTP_CORE_ONLY=ON -DCMAKE_BUILD_TYPE=Debug
# Debug keeps Qt's inline Q_ASSERTs (QT_NO_DEBUG is set for every other build type), so a
# misuse of QString/QByteArray by our code aborts instead of reading out of bounds; -O1 keeps
# the fuzzers fast.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "WAOTP_BUILD_FUZZERS needs clang (libFuzzer): configure with CXX=clang++")
endif()
add_compile_options(
    -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer
    -O1
    # The project's warning set is gcc's; clang does not know all of it.
    -Wno-unknown-warning-option)
add_link_options(-fsanitize=address,undefined)
