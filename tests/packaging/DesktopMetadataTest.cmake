cmake_minimum_required(VERSION 3.25)
# packaging_desktop_metadata: installs the Runtime component into a fresh prefix and validates the
# desktop file, the AppStream metainfo and the icon as installed.
include(${CMAKE_CURRENT_LIST_DIR}/PackagingTestLib.cmake)

set(prefix ${WORK_DIR}/prefix)
fresh_dir(${prefix})
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component Runtime)

set(desktop ${prefix}/share/applications/${APP_ID}.desktop)
set(metainfo ${prefix}/share/metainfo/${APP_ID}.metainfo.xml)
set(icon ${prefix}/share/icons/hicolor/scalable/apps/${APP_ID}.svg)
foreach(file IN ITEMS ${desktop} ${metainfo} ${icon} ${prefix}/bin/waotp)
    if(NOT EXISTS ${file})
        message(FATAL_ERROR "not installed: ${file}")
    endif()
endforeach()

# desktop-file-validate exits 0 on hints; a clean file gives no output at all.
run("desktop-file-validate" ${DESKTOP_FILE_VALIDATE} ${desktop})
if(NOT "${out}${err}" STREQUAL "")
    message(FATAL_ERROR "desktop-file-validate:\n${out}${err}")
endif()

# validate-tree checks the metainfo and that its launchable desktop file is installed next to it;
# --strict fails on warnings too.
run("appstreamcli validate-tree" ${APPSTREAMCLI} validate-tree --no-net --strict ${prefix})

# The desktop file starts the installed binary and names the installed icon.
file(STRINGS ${desktop} entries)
foreach(expected IN ITEMS "Exec=waotp" "Icon=${APP_ID}" "Type=Application")
    if(NOT expected IN_LIST entries)
        message(FATAL_ERROR "${desktop} has no line '${expected}'")
    endif()
endforeach()

# The newest release in the metainfo is the version being built (software centres show it).
file(READ ${metainfo} xml)
string(REGEX MATCH "<release version=\"([^\"]*)\"" release "${xml}")
if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
    message(FATAL_ERROR "newest <release> in ${metainfo} is '${CMAKE_MATCH_1}', "
                        "the project is ${VERSION}: add a <release> entry")
endif()

file(READ ${icon} svg LIMIT 4096)
expect_contains("${svg}" "<svg" "the icon is not an SVG image")
