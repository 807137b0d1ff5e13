// Group-disjoint, stratified split; see split.h.
#include "split.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

namespace rl {

const char* split_name(Split split) {
    switch (split) {
        case Split::train: return "train";
        case Split::validation: return "validation";
        case Split::test: return "test";
    }
    return "?";
}

namespace {

using GroupRows = std::map<std::string, std::vector<size_t>>;  // group -> sample indices (ordered: deterministic)

// Groups by stratum (the source and labels of the group's first sample; multi-label: finding or none), each
// stratum's groups shuffled with `seed`.
std::map<std::string, std::vector<std::string>> strata_shuffled(const std::vector<Sample>& samples, const GroupRows& members,
                                                                uint64_t seed) {
    std::map<std::string, std::vector<std::string>> strata;
    for (const auto& [group, idx] : members) {
        const std::vector<int>& t = samples[idx.front()].targets;
        const bool multi_label = t.size() > 1;
        const std::string key = samples[idx.front()].source + "/" +
                                (multi_label ? (std::count(t.begin(), t.end(), 1) ? "finding" : "none") : std::to_string(t[0]));
        strata[key].push_back(group);
    }
    std::mt19937_64 rng(seed);
    for (auto& [key, groups] : strata)  // Fisher-Yates with a modulo: std::shuffle's use of the engine is implementation-defined.
        for (size_t i = groups.size(); i > 1; --i) std::swap(groups[i - 1], groups[size_t(rng() % i)]);
    return strata;
}

}  // namespace

std::vector<Split> split_by_group(const std::vector<Sample>& samples, double validation_fraction, double test_fraction,
                                  uint64_t seed) {
    GroupRows members;
    for (size_t i = 0; i < samples.size(); ++i) members[samples[i].group].push_back(i);
    std::vector<Split> out(samples.size(), Split::train);
    for (auto& [key, groups] : strata_shuffled(samples, members, seed)) {
        size_t total = 0;
        for (const std::string& g : groups) total += members[g].size();
        size_t test = 0, validation = 0;
        for (const std::string& g : groups) {
            Split side = Split::train;
            if (double(test) < test_fraction * double(total)) side = Split::test, test += members[g].size();
            else if (double(validation) < validation_fraction * double(total)) side = Split::validation, validation += members[g].size();
            for (size_t i : members[g]) out[i] = side;
        }
    }
    return out;
}

std::vector<int> split_folds(const std::vector<Sample>& samples, const std::vector<size_t>& rows, int folds, uint64_t seed) {
    std::vector<Sample> dealt;
    GroupRows members;  // group -> positions in rows, and in dealt
    for (size_t r = 0; r < rows.size(); ++r) dealt.push_back(samples[rows[r]]), members[dealt.back().group].push_back(r);
    std::vector<int> out(rows.size(), 0);
    for (auto& [key, groups] : strata_shuffled(dealt, members, seed)) {
        std::vector<size_t> held(size_t(folds), 0);  // this stratum's images in each fold so far
        for (const std::string& g : groups) {
            const int f = int(std::min_element(held.begin(), held.end()) - held.begin());
            held[size_t(f)] += members[g].size();
            for (size_t r : members[g]) out[r] = f;
        }
    }
    return out;
}

std::vector<bool> split_groups_holding(const std::vector<Sample>& samples, const std::vector<std::string>& paths) {
    std::set<std::string> groups;
    for (const Sample& smp : samples)
        for (const std::string& p : paths)
            if (smp.path == p || (smp.path.size() > p.size() && smp.path.compare(smp.path.size() - p.size(), p.size(), p) == 0 &&
                                  smp.path[smp.path.size() - p.size() - 1] == '/'))
                groups.insert(smp.group);
    std::vector<bool> out;
    for (const Sample& smp : samples) out.push_back(groups.count(smp.group) > 0);
    return out;
}

}  // namespace rl
