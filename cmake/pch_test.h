// Precompiled header of the test suites: the core one plus GoogleTest.
#pragma once
#include "pch_core.h"

#include <gtest/gtest.h>
