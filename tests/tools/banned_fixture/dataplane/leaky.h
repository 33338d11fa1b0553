// Fixture for the sans-I/O ban-list test: this file breaks every rule on purpose.
#pragma once
#include <thread>
#include <chrono>
inline long leakyNow() { return std::chrono::steady_clock::now().time_since_epoch().count(); }
