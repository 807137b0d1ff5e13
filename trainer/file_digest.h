// SHA-256 of a file, as the model card records it (lowercase hex).
#pragma once
#include <string>

#include "status.h"

namespace rl {

Status file_sha256(const std::string& path, std::string* hex);

}  // namespace rl
