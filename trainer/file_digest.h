// SHA-256 of a file, as the model card records it, or of a text (lowercase hex).
#pragma once
#include <string>

#include "status.h"

namespace rl {

Status file_sha256(const std::string& path, std::string* hex);
std::string text_sha256(const std::string& text);

}  // namespace rl
