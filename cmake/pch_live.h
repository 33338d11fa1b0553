// Precompiled header of live mode (mesh/live, the command line, their tests): the core's,
// plus Boost.Asio, Beast and asio::ssl, which every live translation unit includes and
// which otherwise take most of its compile time. Only for build speed.
#pragma once
#include "pch_core.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
