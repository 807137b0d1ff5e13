// train: a short run on tiny synthetic images learns (loss goes down), writes
// its checkpoints and log, and a resumed run ends exactly where an
// uninterrupted one does, in the channels-last layout it trains in; in
// bfloat16 too, with float32 weights, and each epoch's log line names its
// precision.
#include "train.h"

#include "dicom_file.h"
#include "image_tensor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

// Class 1 has a bright square in the middle; class 0 is noise only.
rl::TrainSet squares(int n, uint64_t seed) {
    torch::manual_seed(seed);
    torch::Tensor x = torch::rand({n, 1, 16, 16}) * 0.3;
    torch::Tensor y = torch::arange(n) % 2;
    x.index_put_({y == 1, 0, torch::indexing::Slice(5, 11), torch::indexing::Slice(5, 11)}, 0.9);
    return {(x - 0.5) / 0.25, y.to(torch::kLong), {}};
}

rl::TaskConfig tiny_task() {
    rl::TaskConfig t;
    t.name = "squares";
    t.input = {16, 16, rl::ResizePolicy::stretch, rl::IntensityScaling::full_range, 0.5f, 0.25f};
    t.widths = {4, 8};
    t.augment = {true, 5.0, 0.05, 0.05, 0.1};
    return t;
}

rl::TrainOptions options(const fs::path& dir, int stop_after, bool resume) {
    rl::TrainOptions o;
    o.epochs = 5;
    o.stop_after = stop_after;
    o.batch_size = 16;
    o.learning_rate = 1e-2;
    o.patience = 100;
    o.seed = 5;
    o.run_dir = dir.string();
    o.resume = resume;
    return o;
}

int lines(const fs::path& p) {
    std::ifstream in(p);
    int n = 0;
    for (std::string l; std::getline(in, l);) n += !l.empty();
    return n;
}

// The precision each epoch's log line names, in order.
std::vector<std::string> logged_precisions(const fs::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    const std::string key = "\"precision\": \"";
    for (std::string l; std::getline(in, l);) {
        const size_t at = l.find(key);
        if (at != std::string::npos) out.push_back(l.substr(at + key.size(), l.find('"', at + key.size()) - at - key.size()));
    }
    return out;
}

class TrainTest : public testing::Test {
protected:
    void SetUp() override {
        torch::set_num_threads(1);  // bitwise-repeatable runs
        root = fs::temp_directory_path() / ("rl-train-" + std::to_string(::getpid()));
        fs::remove_all(root);
        fs::create_directories(root / "straight");
        fs::create_directories(root / "resumed");
    }
    void TearDown() override { fs::remove_all(root); }
    fs::path root;
};

}  // namespace

TEST_F(TrainTest, LearnsWritesCheckpointsAndResumesExactly) {
    const rl::TaskConfig task = tiny_task();
    const rl::TrainSet train = squares(64, 1), val = squares(32, 2);

    torch::manual_seed(11);
    rl::Network straight(task.widths, 2, 0.0);
    rl::TrainOutcome a;
    ASSERT_TRUE(rl::train_run(straight, task, train, val, options(root / "straight", 0, false), &a).ok());
    EXPECT_LT(a.last_loss, a.first_loss * 0.7);
    EXPECT_GT(a.best_score, 0.9);  // validation AUC
    EXPECT_EQ(a.epochs_done, 5);
    EXPECT_TRUE(fs::exists(root / "straight/last.pt"));
    EXPECT_TRUE(fs::exists(root / "straight/best.pt"));
    EXPECT_FALSE(fs::exists(root / "straight/last.pt.tmp"));
    EXPECT_EQ(lines(root / "straight/log.jsonl"), 5);

    torch::manual_seed(11);
    rl::Network first(task.widths, 2, 0.0);
    rl::TrainOutcome b;
    ASSERT_TRUE(rl::train_run(first, task, train, val, options(root / "resumed", 3, false), &b).ok());
    EXPECT_EQ(b.epochs_done, 3);
    torch::manual_seed(99);
    rl::Network second(task.widths, 2, 0.0);  // other weights: everything must come from the checkpoint
    rl::TrainOutcome c;
    ASSERT_TRUE(rl::train_run(second, task, train, val, options(root / "resumed", 0, true), &c).ok());
    EXPECT_EQ(c.epochs_done, 5);
    EXPECT_EQ(lines(root / "resumed/log.jsonl"), 5);  // appended, not restarted
    EXPECT_EQ(logged_precisions(root / "resumed/log.jsonl"), std::vector<std::string>(5, "float32"));
    EXPECT_EQ(c.best_epoch, a.best_epoch);            // the resumed run knows the best so far
    EXPECT_DOUBLE_EQ(c.best_score, a.best_score);

    const auto pa = straight->named_parameters(), pc = second->named_parameters();
    for (const auto& item : pa) EXPECT_TRUE(torch::allclose(item.value(), pc[item.key()], 1e-5, 1e-6)) << item.key();
    // Weights loaded from the checkpoint keep the channels-last layout the
    // network trains in (unit channel stride, even for one input channel).
    for (const auto& conv : second->convs) EXPECT_EQ(conv->weight.stride(1), 1);
}

TEST_F(TrainTest, LearnsAndResumesInBfloat16WithFloat32Weights) {
    if (!rl::precision_native_bfloat16()) GTEST_SKIP() << "no native bfloat16 on this CPU: the trainer uses float32 here";
    const rl::TaskConfig task = tiny_task();
    const rl::TrainSet train = squares(64, 1), val = squares(32, 2);
    const auto run = [&](rl::Network& net, const char* dir, int stop_after, bool resume, rl::TrainOutcome* outcome) {
        rl::TrainOptions o = options(root / dir, stop_after, resume);
        o.precision = rl::Precision::bfloat16;
        return rl::train_run(net, task, train, val, o, outcome).ok();
    };
    torch::manual_seed(11);
    rl::Network straight(task.widths, 2, 0.0);
    rl::TrainOutcome a;
    ASSERT_TRUE(run(straight, "straight", 0, false, &a));
    EXPECT_LT(a.last_loss, a.first_loss * 0.7);
    EXPECT_GT(a.best_score, 0.9);
    for (const auto& item : straight->named_parameters()) EXPECT_EQ(item.value().scalar_type(), torch::kFloat) << item.key();

    torch::manual_seed(11);
    rl::Network first(task.widths, 2, 0.0), second(task.widths, 2, 0.0);
    rl::TrainOutcome b, c;
    ASSERT_TRUE(run(first, "resumed", 3, false, &b));
    ASSERT_TRUE(run(second, "resumed", 0, true, &c));
    EXPECT_EQ(c.epochs_done, 5);
    const auto pa = straight->named_parameters(), pc = second->named_parameters();
    for (const auto& item : pa) EXPECT_TRUE(torch::allclose(item.value(), pc[item.key()], 1e-5, 1e-6)) << item.key();
    EXPECT_EQ(logged_precisions(root / "resumed/log.jsonl"), std::vector<std::string>(5, "bfloat16"));

    // A run moved to float32 part-way goes on, and its log says where.
    rl::TrainOptions o = options(root / "resumed", 0, true);
    o.epochs = 6;
    rl::Network third(task.widths, 2, 0.0);
    rl::TrainOutcome d;
    ASSERT_TRUE(rl::train_run(third, task, train, val, o, &d).ok());
    EXPECT_EQ(d.epochs_done, 6);
    EXPECT_EQ(logged_precisions(root / "resumed/log.jsonl"),
              (std::vector<std::string>{"bfloat16", "bfloat16", "bfloat16", "bfloat16", "bfloat16", "float32"}));
}

TEST(LossWeights, ClassesPullEquallyAndRareLabelsAreCapped) {
    const torch::Tensor y = torch::tensor({0, 0, 0, 1}, torch::kLong);
    EXPECT_TRUE(torch::allclose(rl::train_loss_weights(rl::OutputKind::softmax, y, 2), torch::tensor({4.0f / 6, 2.0f})));
    torch::Tensor multi = torch::zeros({50, 2});
    multi.index_put_({torch::indexing::Slice(0, 10), 0}, 1.0f);  // 10 of 50 positive
    multi.index_put_({0, 1}, 1.0f);                               // 1 of 50: 49 would be its pos_weight
    EXPECT_TRUE(torch::allclose(rl::train_loss_weights(rl::OutputKind::sigmoid, multi, 2), torch::tensor({4.0f, 20.0f})));
}

TEST(Precision, ScopeComputesInBfloat16AndNeverReusesStaleWeights) {
    if (!rl::precision_native_bfloat16()) GTEST_SKIP() << "no native bfloat16 on this CPU: the trainer uses float32 here";
    torch::manual_seed(3);
    rl::Network net(std::vector<int>{4, 8}, 2, 0.0);
    torch::nn::Conv2d conv = net->convs[0];
    const torch::Tensor x = torch::randn({2, 1, 16, 16});
    torch::Tensor before;
    {
        rl::PrecisionScope scope(rl::Precision::bfloat16);
        EXPECT_EQ(net->forward(x).scalar_type(), torch::kBFloat16);
        {
            rl::PrecisionScope inner(rl::Precision::float32);  // changes nothing
            EXPECT_EQ(net->forward(x).scalar_type(), torch::kBFloat16);
        }
        before = conv->forward(x).to(torch::kFloat);
    }
    EXPECT_EQ(net->forward(x).scalar_type(), torch::kFloat);  // off again
    {
        torch::NoGradGuard no_grad;
        conv->weight.mul_(-1.0);  // what an optimiser step does: the same tensor, new values
    }
    const torch::Tensor expected = conv->forward(x);
    ASSERT_TRUE(torch::allclose(before, -expected, 0.02, 0.02));  // bfloat16 is close to float32
    rl::PrecisionScope scope(rl::Precision::bfloat16);
    // A bfloat16 copy of the weight kept from the first scope would give the old output.
    EXPECT_TRUE(torch::allclose(conv->forward(x).to(torch::kFloat), expected, 0.02, 0.02));
}

TEST(Precision, ParsesTheOptionAndKeepsCudaInFloat32) {
    rl::Precision p;
    ASSERT_TRUE(rl::precision_parse("float32", false, &p).ok());
    EXPECT_EQ(p, rl::Precision::float32);
    ASSERT_TRUE(rl::precision_parse("auto", true, &p).ok());
    EXPECT_EQ(p, rl::Precision::float32);
    ASSERT_TRUE(rl::precision_parse("auto", false, &p).ok());
    EXPECT_EQ(p, rl::precision_native_bfloat16() ? rl::Precision::bfloat16 : rl::Precision::float32);
    p = rl::Precision::float32;
    const rl::Status bf16 = rl::precision_parse("bfloat16", false, &p);
    if (rl::precision_native_bfloat16())
        EXPECT_TRUE(bf16.ok() && p == rl::Precision::bfloat16) << bf16.message;
    else
        EXPECT_NE(bf16.message.find("this CPU has no native bfloat16"), std::string::npos) << bf16.message;
    EXPECT_NE(rl::precision_parse("bfloat16", true, &p).message.find("only on the CPU"), std::string::npos);
    EXPECT_NE(rl::precision_parse("half", false, &p).message.find("--precision must be auto, float32 or bfloat16"), std::string::npos);
}

TEST_F(TrainTest, InitFromCopiesFeaturesButNotTheHead) {
    const rl::TaskConfig task = tiny_task();
    torch::manual_seed(11);
    rl::Network source(task.widths, 2, 0.0);
    rl::TrainOutcome a;
    ASSERT_TRUE(rl::train_run(source, task, squares(64, 1), squares(32, 2), options(root / "straight", 2, false), &a).ok());
    ASSERT_TRUE(rl::train_load_best(source, (root / "straight").string()).ok());
    const std::string best = (root / "straight/best.pt").string();

    torch::manual_seed(12);
    rl::Network target(task.widths, 3, 0.0);  // another label count: only the head differs
    const torch::Tensor head = target->head->weight.clone();
    ASSERT_TRUE(rl::train_init_from(target, best).ok());
    for (size_t i = 0; i < target->convs.size(); ++i) {
        EXPECT_TRUE(torch::equal(target->convs[i]->weight, source->convs[i]->weight)) << i;
        EXPECT_TRUE(torch::equal(target->norms[i]->running_var, source->norms[i]->running_var)) << i;
        EXPECT_EQ(target->convs[i]->weight.stride(1), 1) << i;  // still channels-last
    }
    EXPECT_TRUE(torch::equal(target->head->weight, head));

    rl::Network wider(std::vector<int>{4, 16}, 2, 0.0);
    const rl::Status s = rl::train_init_from(wider, best);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message.find("best.pt: conv2.weight has shape [8, 4, 3, 3], this network's [16, 4, 3, 3]"), std::string::npos)
        << s.message;
    EXPECT_FALSE(rl::train_init_from(wider, (root / "none.pt").string()).ok());
}

TEST_F(TrainTest, ResumeWithoutCheckpointSaysSo) {
    const rl::TaskConfig task = tiny_task();
    rl::Network net(task.widths, 2, 0.0);
    rl::TrainOutcome o;
    const rl::Status s = rl::train_run(net, task, squares(8, 1), squares(8, 2), options(root / "straight", 2, true), &o);
    EXPECT_NE(s.message.find("last.pt: no checkpoint to resume from"), std::string::npos) << s.message;
}

TEST(ImageTensor, LoadsDicomThroughItsDefaultPreset) {
    // A real DICOM file (data folder) gives the tensor row the app's model input would be.
    const std::string path = std::string(RL_TEST_DATA_DIR) + "/dicom/dx_chest_canon_mono1_j2k_lossless.dcm";
    const rl::InputSpec spec{32, 32, rl::ResizePolicy::pad_to_square, rl::IntensityScaling::full_range, 0.5f, 0.25f};
    const rl::ImageTensor t = rl::image_tensor_load({{path, {0}, "g", {}}}, {0}, spec);
    ASSERT_EQ(t.kept.size(), 1u) << (t.problems.empty() ? "" : t.problems[0]);
    rl::GrayImage gray;
    ASSERT_TRUE(rl::dicom_file_gray(path, &gray).ok());
    std::vector<float> want;
    ASSERT_TRUE(rl::preprocess(gray, spec, &want).ok());
    const torch::Tensor row = t.images[0].flatten().contiguous();
    EXPECT_TRUE(torch::equal(row, torch::from_blob(want.data(), {int64_t(want.size())}).clone()));
}
