// A test fixture with a folder of its own: one per test and process, as
// ctest runs tests in parallel, made empty before the test and removed after.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace rl_test {

class ScratchTest : public ::testing::Test {
protected:
    explicit ScratchTest(const std::string& prefix)
        : dir(std::filesystem::temp_directory_path() /
              (prefix + "-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name())) {}
    void SetUp() override {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    const std::filesystem::path dir;
};

}  // namespace rl_test
