// Result of an operation that can fail for a reason outside the program
// (a file, a document): empty message means success.
#pragma once
#include <string>
#include <utility>

namespace rl {

struct Status {
    std::string message;  // names the input and the reason when not ok

    bool ok() const { return message.empty(); }
    static Status success() { return {}; }
    static Status failure(std::string why) { return {std::move(why)}; }
};

}  // namespace rl
