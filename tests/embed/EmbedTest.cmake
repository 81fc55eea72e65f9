cmake_minimum_required(VERSION 3.25)
# cmake -P script behind the embed_find_package test (see CMakeLists.txt for the variables).
function(run what)
    execute_process(COMMAND ${ARGN}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 180)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(out "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(host_build ${WORK_DIR}/host-build)
# A fresh prefix every time, so a file the install forgets cannot linger from an earlier run.
file(REMOVE_RECURSE ${prefix} ${host_build})

run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

set(configure_args -S ${HOST_SOURCE_DIR} -B ${host_build} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_PREFIX_PATH=${prefix}
    # Only the prefix may provide waotp: not the user package registry, not /usr/local.
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -Dwaotp_ROOT=${prefix})
if(COMPILER_LAUNCHER)
    list(APPEND configure_args -DCMAKE_CXX_COMPILER_LAUNCHER=${COMPILER_LAUNCHER})
endif()
if(SANITIZE)
    # The installed libraries were compiled with the sanitizers; the host links their runtimes.
    list(APPEND configure_args "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
run("configuring the host" ${CMAKE_COMMAND} ${configure_args})
string(FIND "${out}" " from ${prefix}/" found)
if(found EQUAL -1)
    message(FATAL_ERROR "the host did not find waotp in ${prefix}:\n${out}")
endif()
run("building the host" ${CMAKE_COMMAND} --build ${host_build})

run("running the host" ${host_build}/waotp_host)
if(NOT out STREQUAL "verified +919876543210\nresources yes\n")
    message(FATAL_ERROR "unexpected output of the host:\n${out}")
endif()
message(STATUS "${out}")
