cmake_minimum_required(VERSION 3.25)
# packaging_kiosk_unit: installs the kiosk's systemd unit and has systemd check it.
include(${CMAKE_CURRENT_LIST_DIR}/PackagingTestLib.cmake)

set(prefix ${WORK_DIR}/prefix)
fresh_dir(${WORK_DIR})
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component Runtime)

file(READ ${prefix}/lib/systemd/system/waotp-kiosk@.service unit)
expect_contains("${unit}" "ExecStart=${prefix}/bin/waotp-kiosk\n" "the unit's ExecStart")

# An instance, as `systemctl enable waotp-kiosk@tty1` makes it. systemd-analyze reports unknown
# keys and bad values on its output but still exits 0: a clean unit prints nothing.
file(MAKE_DIRECTORY ${WORK_DIR}/units)
file(WRITE ${WORK_DIR}/units/waotp-kiosk@tty1.service "${unit}")
run("systemd-analyze verify" ${SYSTEMD_ANALYZE} verify --man=no
    ${WORK_DIR}/units/waotp-kiosk@tty1.service)
if(NOT "${out}${err}" STREQUAL "")
    message(FATAL_ERROR "systemd-analyze verify:\n${out}${err}")
endif()
