// Comma-separated values as RFC 4180 has them: quoted fields may hold commas,
// quotes (doubled) and line breaks are not supported inside fields.
#pragma once
#include <string>
#include <vector>

namespace rl {

std::vector<std::string> csv_parse_line(const std::string& line);
std::string csv_field(const std::string& value);  // quoted only when needed

}  // namespace rl
