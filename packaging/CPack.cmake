# Debian packages from the install rules:
#   cmake --build build --target package        (or: cd build && cpack -G DEB)
# gives waotp_<version>_<arch>.deb (the app), waotp-server_<version>_<arch>.deb (the HTTP server
# and its systemd unit) and waotp-dev_<version>_<arch>.deb (static libraries, headers and the
# CMake package for embedding the dialog).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME waotp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "waotp maintainers")
set(CPACK_PACKAGE_CONTACT "waotp maintainers <maintainers@waotp.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY waotp)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The binary carries its debug info in RelWithDebInfo builds; a package does not need it.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Runtime Development Server)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

# Depends is computed by dpkg-shlibdeps from the shared libraries the binary links (libqt6core6,
# libqt6widgets6, libicu72, ...; libphonenumber is linked statically by default, see
# cmake/FindPhoneNumber.cmake). What it cannot see are the plugins Qt loads at run time:
# the SQLite driver for the account database, the SVG image and icon engines for the icons, the
# X11 platform plugin. Recommended: Wayland (for the kiosk under cage), Qt's own translations, and
# a Devanagari font for Hindi (Debian's default fonts have Arabic but no Devanagari).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME waotp)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, qt6-qpa-plugins")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS
    "qt6-wayland, qt6-translations-l10n, fonts-lohit-deva | fonts-noto-core")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "cage")
# On upgrade, brings what an earlier kiosk set-up left in /etc in line with the rules the app now
# enforces (debian/postinst).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/debian/postinst)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The first line of each package's description is CPACK_PACKAGE_DESCRIPTION_SUMMARY (shared).
string(CONCAT CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "A desktop app that signs people up and in by phone number: it sends a\n"
    "six-digit code on WhatsApp (through Twilio) and checks it. It has a demo\n"
    "mode that needs no credentials, and a kiosk mode with a systemd unit that\n"
    "runs it under the cage Wayland compositor.")

# The server's package: Qt Core, Network and Sql, OpenSSL (dpkg-shlibdeps), never Gui or
# Widgets; the SQLite driver for the account database. Recommended: a TLS proxy in front.
# Suggested: Qt's PostgreSQL driver, for accounts in PostgreSQL (WAOTP_DATABASE).
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME waotp-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "nginx | reverse-proxy")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "libqt6sql6-psql")
string(CONCAT CPACK_COMPONENT_SERVER_DESCRIPTION
    "waotp-server: phone number verification over HTTP. It sends a six-digit\n"
    "code on WhatsApp or SMS (through Twilio), checks it, and answers with a\n"
    "token signed ES256 that a platform's backend verifies against the\n"
    "server's published keys. Runs as a hardened systemd service behind a\n"
    "TLS reverse proxy.")

# The development package holds static libraries: no shared objects for dpkg-shlibdeps to read, so
# its dependencies are the -dev packages a host application builds and links against (the core
# links libphonenumber, nettle and hiredis).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME waotp-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SHLIBDEPS OFF)
string(CONCAT CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "qt6-base-dev (>= ${Qt6_VERSION_MAJOR}.${Qt6_VERSION_MINOR}), qt6-svg-dev, "
    "libphonenumber-dev, nettle-dev, libhiredis-dev")
string(CONCAT CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
    "The verification dialog for embedding in other Qt 6 applications: static\n"
    "libraries, headers and the CMake package (find_package(waotp) gives the\n"
    "targets waotp::core and waotp::ui).")

include(CPack)
