cmake_minimum_required(VERSION 3.25)
# packaging_kiosk_launcher: runs the kiosk launcher, installed as it would be (next to a waotp),
# with a stand-in for cage that records its arguments and environment instead of starting.
include(${CMAKE_CURRENT_LIST_DIR}/PackagingTestLib.cmake)

fresh_dir(${WORK_DIR}/bin)
file(COPY ${LAUNCHER} DESTINATION ${WORK_DIR}/bin)
set(launcher ${WORK_DIR}/bin/waotp-kiosk)
file(WRITE ${WORK_DIR}/bin/waotp "#!/bin/sh\nexit 0\n")
file(WRITE ${WORK_DIR}/cage [=[#!/bin/sh
printf '%s\n' "$@" > "${0%/*}/cage.args"
printf 'QT_QPA_PLATFORM=%s\nQT_WAYLAND_DISABLE_WINDOWDECORATION=%s\nXDG_RUNTIME_DIR=%s\n' \
    "$QT_QPA_PLATFORM" "$QT_WAYLAND_DISABLE_WINDOWDECORATION" "$XDG_RUNTIME_DIR" \
    > "${0%/*}/cage.env"
]=])
file(CHMOD ${WORK_DIR}/bin/waotp ${WORK_DIR}/cage
    PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)

# As the service starts it: options from /etc/default/waotp-kiosk, state directory from systemd.
run("the launcher" ${CMAKE_COMMAND} -E env
    CAGE=${WORK_DIR}/cage XDG_RUNTIME_DIR=${WORK_DIR} STATE_DIRECTORY=/var/lib/waotp-kiosk
    "WAOTP_KIOSK_ARGS=--demo --country IN"
    ${launcher} --lang ar)
file(STRINGS ${WORK_DIR}/cage.args args)
set(expected -d -- ${WORK_DIR}/bin/waotp --kiosk --data-dir=/var/lib/waotp-kiosk
    --demo --country IN --lang ar)
if(NOT args STREQUAL expected)
    message(FATAL_ERROR "cage was started with\n  ${args}\nexpected\n  ${expected}")
endif()
file(STRINGS ${WORK_DIR}/cage.env env)
if(NOT env STREQUAL
        "QT_QPA_PLATFORM=wayland;QT_WAYLAND_DISABLE_WINDOWDECORATION=1;XDG_RUNTIME_DIR=${WORK_DIR}")
    message(FATAL_ERROR "environment given to cage: ${env}")
endif()

# With the unit's credential and runtime directory: the configuration systemd handed over is the
# --config, after the options of /etc/default/waotp-kiosk (an earlier set-up's --config there
# loses: waotp takes the last one) and before the launcher's own; cage's socket goes to the
# runtime directory, since the unit hides the session's /run/user.
fresh_dir(${WORK_DIR}/credentials)
file(WRITE ${WORK_DIR}/credentials/waotp.ini "[app]\n")
fresh_dir(${WORK_DIR}/runtime)
run("the launcher with a credential" ${CMAKE_COMMAND} -E env
    CAGE=${WORK_DIR}/cage XDG_RUNTIME_DIR=/run/user/999 STATE_DIRECTORY=/var/lib/waotp-kiosk
    CREDENTIALS_DIRECTORY=${WORK_DIR}/credentials RUNTIME_DIRECTORY=${WORK_DIR}/runtime
    "WAOTP_KIOSK_ARGS=--config /etc/waotp/kiosk.conf --country IN"
    ${launcher} --lang ar)
file(STRINGS ${WORK_DIR}/cage.args args)
set(expected -d -- ${WORK_DIR}/bin/waotp --kiosk --data-dir=/var/lib/waotp-kiosk
    --config /etc/waotp/kiosk.conf --country IN
    --config=${WORK_DIR}/credentials/waotp.ini --lang ar)
if(NOT args STREQUAL expected)
    message(FATAL_ERROR "cage was started with\n  ${args}\nexpected\n  ${expected}")
endif()
file(STRINGS ${WORK_DIR}/cage.env env)
expect_contains("${env}" "XDG_RUNTIME_DIR=${WORK_DIR}/runtime" "environment given to cage")

# Run by hand, without the service's variables: no --data-dir, no extra options.
file(REMOVE ${WORK_DIR}/cage.args)
run("the launcher by hand" ${CMAKE_COMMAND} -E env --unset=STATE_DIRECTORY
    --unset=WAOTP_KIOSK_ARGS CAGE=${WORK_DIR}/cage XDG_RUNTIME_DIR=${WORK_DIR} ${launcher})
file(STRINGS ${WORK_DIR}/cage.args args)
if(NOT args STREQUAL "-d;--;${WORK_DIR}/bin/waotp;--kiosk")
    message(FATAL_ERROR "cage was started with ${args}")
endif()

# Refusals, with the exit codes of sysexits.h and a message that says what to do.
execute_process(COMMAND ${CMAKE_COMMAND} -E env CAGE=${WORK_DIR}/no-such-cage
        XDG_RUNTIME_DIR=${WORK_DIR} ${launcher}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 69)
    message(FATAL_ERROR "without cage the launcher exited with ${rc}, expected 69")
endif()
expect_contains("${err}" "apt-get install cage" "message without cage")

execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=XDG_RUNTIME_DIR CAGE=${WORK_DIR}/cage
        ${launcher}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 78)
    message(FATAL_ERROR "without XDG_RUNTIME_DIR the launcher exited with ${rc}, expected 78")
endif()
expect_contains("${err}" "XDG_RUNTIME_DIR" "message without XDG_RUNTIME_DIR")
