cmake_minimum_required(VERSION 3.25)
# packaging_server_unit: installs waotp-server's systemd unit, has systemd check it and rate its
# hardening (systemd-analyze security; the score is printed for the record).
include(${CMAKE_CURRENT_LIST_DIR}/PackagingTestLib.cmake)

set(prefix ${WORK_DIR}/prefix)
fresh_dir(${WORK_DIR})
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component Server)

set(unit_file ${prefix}/lib/systemd/system/waotp-server.service)
file(READ ${unit_file} unit)
expect_contains("${unit}"
    "ExecStart=${prefix}/bin/waotp-server --config \${CREDENTIALS_DIRECTORY}/waotp-server.ini --data-dir /var/lib/private/waotp-server\n"
    "the unit's ExecStart")
foreach(setting IN ITEMS "DynamicUser=yes" "StateDirectory=waotp-server" "LoadCredential="
        "ProtectSystem=strict" "LimitCORE=0" "CapabilityBoundingSet=\n"
        "SystemCallFilter=@system-service" "NoNewPrivileges=yes" "PrivateTmp=yes"
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX")
    expect_contains("${unit}" "${setting}" "the unit's hardening")
endforeach()
foreach(file IN ITEMS bin/waotp-server share/waotp-server/README.md
        share/waotp-server/waotp-server.ini.example share/waotp-server/openapi.yaml)
    if(NOT EXISTS ${prefix}/${file})
        message(FATAL_ERROR "the Server component installs no ${file}")
    endif()
endforeach()

# systemd-analyze reports unknown keys and bad values on its output but still exits 0: a clean
# unit prints nothing.
run("systemd-analyze verify" ${SYSTEMD_ANALYZE} verify --man=no ${unit_file})
if(NOT "${out}${err}" STREQUAL "")
    message(FATAL_ERROR "systemd-analyze verify:\n${out}${err}")
endif()

# The exposure score (0 = locked down, 10 = unprotected). What is left is what a network
# server needs: its address families, and a user of its own rather than a private one.
run("systemd-analyze security" ${SYSTEMD_ANALYZE} security --offline=true --no-pager ${unit_file})
string(REGEX MATCH "Overall exposure level for [^:]*: ([0-9.]+)" _ "${out}")
set(score ${CMAKE_MATCH_1})
if(score STREQUAL "")
    message(FATAL_ERROR "no exposure level in:\n${out}")
endif()
message(STATUS "systemd-analyze security: waotp-server.service exposure ${score}")
if(score GREATER 2.0)
    message(FATAL_ERROR "the unit's exposure is ${score}, more than 2.0:\n${out}")
endif()
