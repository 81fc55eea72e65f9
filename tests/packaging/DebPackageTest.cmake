cmake_minimum_required(VERSION 3.25)
# packaging_deb: builds the packages with CPack, checks what dpkg-shlibdeps found, unpacks the
# app's and the server's packages into temporary roots and runs the binaries from there.
include(${CMAKE_CURRENT_LIST_DIR}/PackagingTestLib.cmake)

fresh_dir(${WORK_DIR})
run("cpack" ${CMAKE_CPACK_COMMAND} -G DEB --config ${BUILD_DIR}/CPackConfig.cmake -B ${WORK_DIR})

file(GLOB app_deb ${WORK_DIR}/waotp_${VERSION}_*.deb)
file(GLOB dev_deb ${WORK_DIR}/waotp-dev_${VERSION}_*.deb)
list(LENGTH app_deb app_count)
list(LENGTH dev_deb dev_count)
if(NOT app_count EQUAL 1 OR NOT dev_count EQUAL 1)
    file(GLOB made ${WORK_DIR}/*.deb)
    message(FATAL_ERROR "expected waotp and waotp-dev packages, got: ${made}")
endif()

# Depends: the Qt libraries come from dpkg-shlibdeps (they are not listed by hand), the plugins
# Qt loads at run time from the hand-written list.
run("dpkg-deb -f" ${DPKG_DEB} -f ${app_deb} Depends)
foreach(package IN ITEMS "libqt6core6 (>= " "libqt6widgets6 (>= " "libc6 (>= " libqt6sql6-sqlite)
    expect_contains("${out}" "${package}" "Depends of ${app_deb}")
endforeach()

set(root ${WORK_DIR}/root)
run("dpkg-deb -x" ${DPKG_DEB} -x ${app_deb} ${root})
run("waotp --version from the package" ${root}/usr/bin/waotp --version)
expect_contains("${out}" "waotp ${VERSION}" "waotp --version")

# Live mode loads the network module from where the package put it, relative to the binary.
# Placeholder credentials and a closed loopback port: nothing leaves the machine.
file(GLOB_RECURSE module ${root}/usr/lib/*/waotp-network.so ${root}/usr/lib/waotp-network.so)
if(NOT module)
    message(FATAL_ERROR "${app_deb} has no waotp-network.so")
endif()
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env HOME=${WORK_DIR}/home
        XDG_CONFIG_HOME=${WORK_DIR}/config XDG_DATA_HOME=${WORK_DIR}/share
        TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000
        TWILIO_AUTH_TOKEN=test-auth-token-0000 TWILIO_WHATSAPP_FROM=+14155550100
        TWILIO_API_BASE_URL=http://127.0.0.1:9
        ${root}/usr/bin/waotp --check-config
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
expect_contains("${out}" "Twilio: Could not reach Twilio" "waotp --check-config from the package")
if(NOT rc EQUAL 2) # the check could not reach Twilio
    message(FATAL_ERROR "waotp --check-config from the package exited ${rc}, not 2: ${err}")
endif()
if(err MATCHES "network module")
    message(FATAL_ERROR "the packaged binary did not load its network module: ${err}")
endif()

foreach(file IN ITEMS
        usr/share/applications/${APP_ID}.desktop
        usr/share/metainfo/${APP_ID}.metainfo.xml
        usr/share/icons/hicolor/scalable/apps/${APP_ID}.svg
        usr/bin/waotp-kiosk
        usr/share/waotp/kiosk/README.md)
    if(NOT EXISTS ${root}/${file})
        message(FATAL_ERROR "${app_deb} has no ${file}")
    endif()
endforeach()
# The unit is written at install time: in the package it must point into /usr, not the build's
# install prefix.
file(READ ${root}/usr/lib/systemd/system/waotp-kiosk@.service unit)
expect_contains("${unit}" "ExecStart=/usr/bin/waotp-kiosk\n" "the kiosk unit")

# The maintainer script brings an earlier kiosk set-up in line: the configuration with the
# credentials (0640, group waotp-kiosk, as the old instructions made it) and the kiosk's options
# (0644, a copy of the example) become root's alone. Run against a root of its own (DPKG_ROOT),
# as dpkg runs it.
run("dpkg-deb -e" ${DPKG_DEB} -e ${app_deb} ${WORK_DIR}/control)
set(postinst ${WORK_DIR}/control/postinst)
run("${app_deb} has an executable postinst" test -x ${postinst})
set(old_root ${WORK_DIR}/old-root)
fresh_dir(${old_root}/etc/waotp)
file(MAKE_DIRECTORY ${old_root}/etc/default)
file(WRITE ${old_root}/etc/waotp/kiosk.conf "[twilio]\nauth_token = test-auth-token-0000\n")
file(WRITE ${old_root}/etc/default/waotp-kiosk "WAOTP_KIOSK_ARGS=\"--config /etc/waotp/kiosk.conf\"\n")
file(CHMOD ${old_root}/etc/waotp/kiosk.conf PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
file(CHMOD ${old_root}/etc/default/waotp-kiosk
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
run("postinst configure" ${CMAKE_COMMAND} -E env DPKG_ROOT=${old_root} ${postinst} configure 0.0.9)
foreach(file IN ITEMS etc/waotp/kiosk.conf etc/default/waotp-kiosk)
    run("stat" stat -c %a ${old_root}/${file})
    if(NOT out STREQUAL "600\n")
        message(FATAL_ERROR "after postinst, ${file} has mode ${out}, not 600")
    endif()
endforeach()
# Nothing there (a fresh install, a desktop): nothing to do, no error.
fresh_dir(${WORK_DIR}/empty-root)
run("postinst configure on a fresh system" ${CMAKE_COMMAND} -E env DPKG_ROOT=${WORK_DIR}/empty-root
    ${postinst} configure)

# The server's package: its own, without Qt's Gui or Widgets.
file(GLOB server_deb ${WORK_DIR}/waotp-server_${VERSION}_*.deb)
list(LENGTH server_deb server_count)
if(NOT server_count EQUAL 1)
    message(FATAL_ERROR "expected one waotp-server package, got: ${server_deb}")
endif()
run("dpkg-deb -f" ${DPKG_DEB} -f ${server_deb} Depends)
foreach(package IN ITEMS "libqt6core6 (>= " "libqt6network6 (>= " "libssl3 (>= " libqt6sql6-sqlite)
    expect_contains("${out}" "${package}" "Depends of ${server_deb}")
endforeach()
if(out MATCHES "libqt6gui|libqt6widgets|libx11|libgl")
    message(FATAL_ERROR "${server_deb} depends on a graphical library: ${out}")
endif()
run("dpkg-deb -f" ${DPKG_DEB} -f ${server_deb} Suggests)
expect_contains("${out}" "libqt6sql6-psql" "Suggests of ${server_deb} (accounts in PostgreSQL)")
set(server_root ${WORK_DIR}/server-root)
run("dpkg-deb -x" ${DPKG_DEB} -x ${server_deb} ${server_root})
run("waotp-server --version from the package" ${server_root}/usr/bin/waotp-server --version)
expect_contains("${out}" "waotp-server ${VERSION}" "waotp-server --version")
file(READ ${server_root}/usr/lib/systemd/system/waotp-server.service unit)
expect_contains("${unit}" "ExecStart=/usr/bin/waotp-server " "the server unit")
foreach(file IN ITEMS usr/share/waotp-server/README.md usr/share/waotp-server/openapi.yaml
        usr/share/waotp-server/waotp-server.ini.example)
    if(NOT EXISTS ${server_root}/${file})
        message(FATAL_ERROR "${server_deb} has no ${file}")
    endif()
endforeach()
if(EXISTS ${root}/usr/bin/waotp-server)
    message(FATAL_ERROR "${app_deb} carries waotp-server too")
endif()

# The development package carries what find_package(waotp) needs.
run("dpkg-deb -c" ${DPKG_DEB} -c ${dev_deb})
foreach(file IN ITEMS
        ./usr/lib/cmake/waotp/waotpConfig.cmake ./usr/lib/cmake/waotp/FindPhoneNumber.cmake
        ./usr/include/waotp/ui/VerificationDialog.h ./usr/include/waotp/core/engine/OtpEngine.h)
    expect_contains("${out}" "${file}\n" "contents of ${dev_deb}")
endforeach()
