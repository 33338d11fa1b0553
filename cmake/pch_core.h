// Precompiled header of every meshproof target: the standard and third-party headers
// most files include (<regex> and nlohmann/json.hpp above all: mesh/config/model.h
// and the expectation results pull them into most translation units). Only for build
// speed; every file still includes what it uses.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>
