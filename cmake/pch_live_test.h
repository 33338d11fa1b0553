// Precompiled header of the live-mode test suite: live mode's plus GoogleTest.
#pragma once
#include "pch_live.h"

#include <gtest/gtest.h>
