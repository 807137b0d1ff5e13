#include "run_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "folds.h"
#include "image_tensor.h"
#include "near_duplicates.h"
#include "split.h"

namespace rl {

namespace {

void problems_report(const std::vector<std::string>& problems, const std::string& what, const std::string& run_dir) {
    if (problems.empty()) return;
    std::fprintf(stderr, "%s: skipped %zu (listed in %s/skipped.txt):\n", what.c_str(), problems.size(), run_dir.c_str());
    for (size_t i = 0; i < problems.size() && i < 5; ++i) std::fprintf(stderr, "  %s\n", problems[i].c_str());
    std::ofstream(run_dir + "/skipped.txt", std::ios::app) << [&] {
        std::string all;
        for (const std::string& p : problems) all += p + "\n";
        return all;
    }();
}

torch::Tensor targets_tensor(const TaskConfig& task, const std::vector<Sample>& samples, const std::vector<size_t>& rows) {
    if (task.output_kind == OutputKind::sigmoid) {
        const int64_t k = int64_t(samples[rows.front()].targets.size());
        torch::Tensor t = torch::zeros({int64_t(rows.size()), k});
        for (size_t i = 0; i < rows.size(); ++i)
            for (int64_t j = 0; j < k; ++j) t[int64_t(i)][j] = float(samples[rows[i]].targets[size_t(j)]);
        return t;
    }
    std::vector<int64_t> y;
    for (size_t r : rows) y.push_back(samples[r].targets[0]);
    return torch::tensor(y, torch::kLong);
}

// Each image's loss weight: none (undefined, all 1), or with several sources, whatever gives every source the pooled class mix
// (the pooled share of its class over its source's share), so that a source's look is no cue to the label.
// Each class's weights still average 1, so the class weights, and the exported bias that undoes them, stay.
torch::Tensor source_weights(const TaskConfig& task, const std::vector<Sample>& samples, const std::vector<size_t>& rows) {
    if (task.sources.size() < 2 || task.output_kind != OutputKind::softmax) return {};
    std::map<std::string, double> source_count;
    std::map<int, double> class_count;
    std::map<std::pair<std::string, int>, double> cell_count;
    for (size_t r : rows) {
        const Sample& smp = samples[r];
        source_count[smp.source] += 1, class_count[smp.targets[0]] += 1, cell_count[{smp.source, smp.targets[0]}] += 1;
    }
    std::vector<float> w;
    for (size_t r : rows) {
        const Sample& smp = samples[r];
        w.push_back(float((class_count[smp.targets[0]] / double(rows.size())) /
                          (cell_count[{smp.source, smp.targets[0]}] / source_count[smp.source])));
    }
    return torch::tensor(w);
}

// groups.csv can miss copies of a picture: joins their groups (near_duplicates.h).
// Files that fail to decode keep their group; the split's decode reports them.
void groups_join_near_duplicates(const TaskConfig& task, DatasetListing* listing) {
    InputSpec thumbnail = task.input;
    thumbnail.width = thumbnail.height = 32;
    thumbnail.resize = ResizePolicy::pad_to_square;  // whole pictures, as the threshold was chosen on; a crop would move the split
    thumbnail.scaling = IntensityScaling::full_range;  // so would another scaling: the split must not depend on the model's input
    thumbnail.mean = 0.0f, thumbnail.std = 1.0f;
    std::vector<size_t> all(listing->samples.size());
    std::iota(all.begin(), all.end(), size_t(0));
    const ImageTensor t = image_tensor_load(listing->samples, all, thumbnail);
    std::vector<std::string> groups;
    for (size_t i : t.kept) groups.push_back(listing->samples[i].group);
    const NearDuplicateJoin join = near_duplicates_join(t.images, &groups, task.near_duplicate_correlation);
    std::map<std::string, std::string> renamed;
    for (size_t k = 0; k < t.kept.size(); ++k) renamed[listing->samples[t.kept[k]].group] = groups[k];
    std::map<std::string, std::set<int>> classes;  // a group of copies holds one class, unless the join went too far
    for (Sample& smp : listing->samples) {
        if (renamed.count(smp.group)) smp.group = renamed[smp.group];
        classes[smp.group].insert(smp.targets[0]);
    }
    int mixed = 0;
    for (auto& [g, c] : classes) mixed += task.output_kind == OutputKind::softmax && c.size() > 1;
    std::fprintf(stderr, "%s: %d groups joined others as near duplicates (correlation >= %g): %d groups, the largest %d images, %d mixing classes\n",
                 task.name.c_str(), join.joined, task.near_duplicate_correlation, join.groups, join.largest, mixed);
}

}  // namespace

torch::Tensor run_data_training_rows(const RunData& p) {
    return p.task.cross_fit ? torch::arange(int64_t(p.fold.size())) : folds_rows(p.fold, 0, false);
}

Status run_data_prepare(const TaskConfig& task, const RunDataOptions& o, RunData* p) {
    p->task = task;
    std::filesystem::remove(o.run_dir + "/skipped.txt");  // problems_report appends this run's lists
    Status s = task_read(p->task, o.data_root, &p->listing);
    if (!s.ok()) return s;
    problems_report(p->listing.problems, "dataset", o.run_dir);
    p->listing_sha256 = task_listing_sha256(p->task, o.data_root, p->listing);
    std::fprintf(stderr, "%s: %zu images listed in %s, listing SHA-256 %s (%s)\n", p->task.name.c_str(), p->listing.samples.size(),
                 o.data_root.c_str(), p->listing_sha256.c_str(),
                 p->listing_sha256 == p->task.copy_listing_sha256 ? "the shipped model's copy"
                                                                  : "another copy than the shipped model's: the card describes it by its counts");
    if (p->task.near_duplicate_correlation > 0) groups_join_near_duplicates(p->task, &p->listing);
    const std::vector<Split> sides = split_by_group(p->listing.samples, p->task.validation_fraction, p->task.test_fraction, o.seed);
    // Groups whose label a review disputes would teach the model, and set its threshold, by a label the
    // picture contradicts; test keeps them, scored by the dataset's own labels.
    std::vector<std::string> disputed_paths;
    for (const Disputed& d : p->task.disputed) disputed_paths.push_back(d.path);
    const std::vector<bool> disputed = split_groups_holding(p->listing.samples, disputed_paths);
    std::vector<size_t> rows[3];
    std::set<std::string> held_out_groups;
    for (size_t i = 0; i < sides.size(); ++i) {
        if (disputed[i] && sides[i] != Split::test) {
            held_out_groups.insert(p->listing.samples[i].group);
            ++p->held_out_count;
        } else {
            rows[int(sides[i])].push_back(i);
        }
    }
    if (p->held_out_count > 0)
        std::fprintf(stderr, "%s: %d images in %zu groups with a disputed label left out of training and validation\n",
                     p->task.name.c_str(), p->held_out_count, held_out_groups.size());
    if (o.limit > 0) {  // smoke runs: a seeded subset of each split
        std::mt19937_64 rng(o.seed);
        for (auto& r : rows) {
            for (size_t i = r.size(); i > 1; --i) std::swap(r[i - 1], r[size_t(rng() % i)]);
            if (r.size() > size_t(o.limit)) r.resize(size_t(o.limit));
        }
    }
    if (o.train_fraction < 1.0 && p->task.cross_fit) return Status::failure("--train-fraction needs a held-out validation split (--no-cross-fit)");
    if (o.train_fraction < 1.0) {  // learning curves: a seeded share of the training groups, same validation and test
        std::vector<std::string> train_groups;
        for (size_t r : rows[0]) train_groups.push_back(p->listing.samples[r].group);
        std::sort(train_groups.begin(), train_groups.end());
        train_groups.erase(std::unique(train_groups.begin(), train_groups.end()), train_groups.end());
        std::mt19937_64 rng(o.seed + 1);
        for (size_t i = train_groups.size(); i > 1; --i) std::swap(train_groups[i - 1], train_groups[size_t(rng() % i)]);
        train_groups.resize(size_t(std::ceil(o.train_fraction * double(train_groups.size()))));
        const std::set<std::string> keep(train_groups.begin(), train_groups.end());
        std::vector<size_t> kept;
        for (size_t r : rows[0])
            if (keep.count(p->listing.samples[r].group)) kept.push_back(r);
        rows[0] = kept;
    }
    std::map<std::string, int> groups;
    for (const Sample& smp : p->listing.samples) groups[smp.group] += 1;
    p->group_count = int(groups.size());

    InputSpec unit = p->task.input;  // decode to [0, 1] first; normalisation is measured below
    unit.mean = 0.0f, unit.std = 1.0f;
    ImageTensor loaded[3];
    for (int k = 0; k < 3; ++k) {
        loaded[k] = image_tensor_load(p->listing.samples, rows[k], unit);
        problems_report(loaded[k].problems, std::string(split_name(Split(k))) + " images", o.run_dir);
        if (loaded[k].kept.empty()) return Status::failure(std::string("no decodable images in the ") + split_name(Split(k)) + " split");
    }
    torch::Tensor pool = torch::cat({loaded[0].images, loaded[1].images});  // [N, 1, H, W] in [0, 1]
    loaded[0].images = loaded[1].images = torch::Tensor();
    // Measured on the images that train some member (held out: the first ones); rounded so that the card reads
    // cleanly, and preprocess applies exactly these floats.
    const torch::Tensor training = p->task.cross_fit ? pool : pool.narrow(0, 0, int64_t(loaded[0].kept.size()));
    p->task.input.mean = float(std::round(training.mean().item<double>() * 1e4) / 1e4);
    p->task.input.std = float(std::round(training.std().item<double>() * 1e4) / 1e4);
    std::vector<size_t> pool_rows = loaded[0].kept;
    pool_rows.insert(pool_rows.end(), loaded[1].kept.begin(), loaded[1].kept.end());
    p->fold.assign(loaded[0].kept.size(), -1);
    p->fold.resize(pool_rows.size(), 0);
    if (p->task.cross_fit) p->fold = split_folds(p->listing.samples, pool_rows, p->task.members, o.seed);
    p->pool.images = pool.sub_(p->task.input.mean).div_(p->task.input.std);
    p->pool.targets = targets_tensor(p->task, p->listing.samples, pool_rows);
    p->pool.weights = source_weights(p->task, p->listing.samples, pool_rows);
    for (size_t i : pool_rows) p->pool_samples.push_back(p->listing.samples[i]);
    for (size_t i : loaded[2].kept) p->test_samples.push_back(p->listing.samples[i]);
    p->train_count = int(run_data_training_rows(*p).size(0));
    p->validation_count = int(folds_rows(p->fold, -1, false).size(0));
    if (p->task.cross_fit)
        std::fprintf(stderr, "%s: %d train and validation images in %d folds, %zu test images in %d groups; input mean %.4f std %.4f\n",
                     p->task.name.c_str(), p->train_count, p->task.members, p->test_samples.size(), p->group_count, p->task.input.mean,
                     p->task.input.std);
    else
        std::fprintf(stderr, "%s: %d train, %d validation, %zu test images in %d groups; input mean %.4f std %.4f\n",
                     p->task.name.c_str(), p->train_count, p->validation_count, p->test_samples.size(), p->group_count,
                     p->task.input.mean, p->task.input.std);
    return Status::success();
}

}  // namespace rl
