// FileWriter: what is handed over is appended in order, whole, by its thread; sync()
// and the destructor return only once it is in the file; a file that cannot be
// opened is said, naming it.
#include "mesh/live/file_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "app_test_support.h"

namespace meshproof::live {
namespace {

using testing::readFile;
using testing::TempDir;

TEST(FileWriter, AppendsInOrderAndSyncWaitsForIt) {
  TempDir dir;
  const std::string path = dir.path() + "/out.log";
  { std::ofstream(path) << "kept\n"; }  // appended to, not truncated
  FileWriter writer(path);
  std::string expected = "kept\n";
  std::string buffer;
  for (int i = 0; i < 2000; ++i) {
    buffer += "line " + std::to_string(i) + "\n";
    expected += "line " + std::to_string(i) + "\n";
    if (i % 7 == 0) {
      writer.write(buffer);
      EXPECT_TRUE(buffer.empty());
    }
  }
  writer.write(buffer);
  writer.sync();
  EXPECT_EQ(readFile(path), expected);
}

TEST(FileWriter, TheDestructorWritesWhatIsQueued) {
  TempDir dir;
  const std::string path = dir.path() + "/out.log";
  std::string expected;
  {
    FileWriter writer(path);
    for (int i = 0; i < 200; ++i) {
      std::string chunk(64 * 1024, static_cast<char>('a' + i % 26));
      expected += chunk;
      writer.write(chunk);
    }
  }
  EXPECT_EQ(readFile(path).size(), expected.size());
  EXPECT_EQ(readFile(path), expected);
}

TEST(FileWriter, AFileItCannotOpenIsSaidByName) {
  try {
    FileWriter writer("/nonexistent-dir/out.log");
    FAIL() << "opened";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write /nonexistent-dir/out.log: No such file or directory");
  }
}

}  // namespace
}  // namespace meshproof::live
