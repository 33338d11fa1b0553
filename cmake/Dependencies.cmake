# Finds meshproof's dependencies from Debian packages. A missing one stops the
# configure step with the name of the Debian package that provides it.
include(FindPkgConfig)

macro(meshproof_require found package what)
  if(NOT ${found})
    message(FATAL_ERROR "meshproof needs ${what}: install the Debian package '${package}' "
                        "(sudo apt-get install --no-install-recommends ${package}), "
                        "or run scripts/install-deps.sh")
  endif()
endmacro()

find_package(PkgConfig)
meshproof_require(PkgConfig_FOUND pkg-config "pkg-config")
pkg_check_modules(SimGrid IMPORTED_TARGET simgrid>=3.32)
meshproof_require(SimGrid_FOUND libsimgrid-dev "SimGrid >= 3.32")

find_package(Boost 1.74 COMPONENTS graph)
meshproof_require(Boost_FOUND "libboost-dev libboost-graph-dev" "Boost >= 1.74 with Boost.Graph")
if(NOT EXISTS "${Boost_INCLUDE_DIRS}/boost/beast.hpp" AND NOT EXISTS "/usr/include/boost/beast.hpp")
  message(FATAL_ERROR "meshproof needs Boost.Beast headers: install the Debian package 'libboost-dev'")
endif()

# tcmalloc (gperftools), an allocator made for many small objects made and freed
# at a high rate, as the simulator and the live proxy do per message and per request
# (glibc's malloc cost the simulator a third of its own time). Not under the
# sanitizers, which bring their own allocator.
if(NOT MESHPROOF_SANITIZE)
  pkg_check_modules(TCMalloc IMPORTED_TARGET libtcmalloc_minimal)
  meshproof_require(TCMalloc_FOUND libgoogle-perftools-dev "tcmalloc (gperftools)")
endif()
# Links the programs that run simulations or proxies with tcmalloc.
function(meshproof_use_tcmalloc target)
  if(NOT MESHPROOF_SANITIZE)
    target_link_libraries(${target} PRIVATE PkgConfig::TCMalloc)
  endif()
endfunction()

find_package(OpenSSL 3)
meshproof_require(OPENSSL_FOUND libssl-dev "OpenSSL 3")

find_package(nlohmann_json 3.10 QUIET)
meshproof_require(nlohmann_json_FOUND nlohmann-json3-dev "nlohmann/json")

find_package(yaml-cpp QUIET)
meshproof_require(yaml-cpp_FOUND libyaml-cpp-dev "yaml-cpp")

find_package(GTest QUIET)
meshproof_require(GTest_FOUND libgtest-dev "GoogleTest")

find_package(benchmark QUIET)
meshproof_require(benchmark_FOUND libbenchmark-dev "Google Benchmark")

if(MESHPROOF_BUILD_VIZ)
  find_package(Qt6 QUIET COMPONENTS Widgets Charts)
  meshproof_require(Qt6_FOUND "qt6-base-dev qt6-charts-dev libqt6opengl6-dev" "Qt 6 (Widgets, Charts)")
  meshproof_require(Qt6Charts_FOUND "qt6-charts-dev libqt6opengl6-dev" "Qt 6 Charts")
endif()
