# Helpers shared by the packaging test scripts (cmake -P).

# run(<what> <command...>): runs the command; fails the test with its output if it fails.
# Leaves its standard output in `out` and its standard error in `err`.
function(run what)
    execute_process(COMMAND ${ARGN}
        RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr TIMEOUT 100)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${what} failed (${rc}):\n${stdout}\n${stderr}")
    endif()
    set(out "${stdout}" PARENT_SCOPE)
    set(err "${stderr}" PARENT_SCOPE)
endfunction()

# expect_contains(<text> <needle> <message>)
function(expect_contains text needle message)
    string(FIND "${text}" "${needle}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "${message}: '${needle}' not found in:\n${text}")
    endif()
endfunction()

# fresh_dir(<dir>): an empty directory, whatever an earlier run left there.
function(fresh_dir dir)
    file(REMOVE_RECURSE "${dir}")
    file(MAKE_DIRECTORY "${dir}")
endfunction()
