# Precompiled headers, built once and reused by every target (REUSE_FROM): one for
# the libraries and programs, one with GoogleTest for the test suites, and the same
# two with Boost.Asio/Beast for live mode. They only
# speed up the build (CI builds everything twice: normal and sanitized).
add_library(meshproof_pch_core OBJECT ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_link_libraries(meshproof_pch_core PRIVATE nlohmann_json::nlohmann_json yaml-cpp)
target_precompile_headers(meshproof_pch_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/pch_core.h)

add_library(meshproof_pch_test OBJECT ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_link_libraries(meshproof_pch_test PRIVATE nlohmann_json::nlohmann_json yaml-cpp GTest::gtest)
target_precompile_headers(meshproof_pch_test PRIVATE ${CMAKE_CURRENT_LIST_DIR}/pch_test.h)

# Live mode's: Asio, Beast and asio::ssl on top, compiled with live mode's definitions.
set(_live_definitions BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
add_library(meshproof_pch_live OBJECT ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_compile_definitions(meshproof_pch_live PRIVATE ${_live_definitions})
target_link_libraries(meshproof_pch_live PRIVATE nlohmann_json::nlohmann_json yaml-cpp Boost::boost OpenSSL::SSL)
target_precompile_headers(meshproof_pch_live PRIVATE ${CMAKE_CURRENT_LIST_DIR}/pch_live.h)

add_library(meshproof_pch_live_test OBJECT ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_compile_definitions(meshproof_pch_live_test PRIVATE ${_live_definitions})
target_link_libraries(meshproof_pch_live_test PRIVATE nlohmann_json::nlohmann_json yaml-cpp Boost::boost OpenSSL::SSL
                                                      GTest::gtest)
target_precompile_headers(meshproof_pch_live_test PRIVATE ${CMAKE_CURRENT_LIST_DIR}/pch_live_test.h)

function(meshproof_use_pch target kind)
  target_precompile_headers(${target} REUSE_FROM meshproof_pch_${kind})
  target_link_libraries(${target} PRIVATE nlohmann_json::nlohmann_json yaml-cpp)
endfunction()
