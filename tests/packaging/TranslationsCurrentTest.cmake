cmake_minimum_required(VERSION 3.25)
# translations_current: the .ts files hold exactly the strings of today's sources. Runs lupdate,
# as the update_translations target does, on copies of them; any difference means a string was
# added or changed without refreshing (and translating) the .ts files.
include(${CMAKE_CURRENT_LIST_DIR}/PackagingTestLib.cmake)

fresh_dir(${WORK_DIR})
set(ts_dir ${SOURCE_DIR}/resources/translations)
file(GLOB_RECURSE sources
    ${SOURCE_DIR}/core/*.cpp ${SOURCE_DIR}/core/*.h
    ${SOURCE_DIR}/ui/*.cpp ${SOURCE_DIR}/ui/*.h ${SOURCE_DIR}/ui/*.ui
    ${SOURCE_DIR}/app/*.cpp ${SOURCE_DIR}/app/*.h
    ${ts_dir}/QtStrings.cpp)
list(JOIN sources "\n" source_list)
file(WRITE ${WORK_DIR}/sources.lst "${source_list}\n")
set(includes -I ${SOURCE_DIR}/core -I ${SOURCE_DIR}/ui -I ${SOURCE_DIR}/app)

file(GLOB ts_files RELATIVE ${ts_dir} ${ts_dir}/waotp_*.ts)
foreach(ts IN LISTS ts_files)
    file(COPY ${ts_dir}/${ts} DESTINATION ${WORK_DIR})
    set(options -locations none -no-obsolete)
    if(ts STREQUAL "waotp_en.ts")
        list(APPEND options -pluralonly) # English only needs its plural forms
    endif()
    run("lupdate ${ts}" ${LUPDATE} @${WORK_DIR}/sources.lst ${includes} ${options}
        -ts ${WORK_DIR}/${ts})
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${ts_dir}/${ts} ${WORK_DIR}/${ts}
        RESULT_VARIABLE different)
    if(different)
        execute_process(COMMAND diff -u ${ts_dir}/${ts} ${WORK_DIR}/${ts} OUTPUT_VARIABLE diff)
        list(APPEND stale ${ts})
        string(APPEND report "--- ${ts}\n${diff}\n")
    endif()
endforeach()
if(stale)
    message(FATAL_ERROR "${report}\nThe strings in the sources changed: run "
        "`cmake --build <build> --target update_translations` and translate what is new in "
        "${stale} (resources/translations).")
endif()
