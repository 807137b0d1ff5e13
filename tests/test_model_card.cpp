// model_card: JSON round trip, and rejection of missing, mistyped and
// contradictory fields with a message that names the field.
#include "model_card.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using rl::ModelCard;
using Json = nlohmann::ordered_json;

namespace {

ModelCard card_valid() {
    ModelCard c;
    c.name = "brain_mri";
    c.task = "Brain MRI: tumour yes/no";
    c.labels = {"no_tumor", "tumor"};
    c.output_kind = rl::OutputKind::softmax;
    c.input = rl::InputSpec{128, 128, rl::ResizePolicy::pad_to_square, rl::IntensityScaling::full_range, 0.25f, 0.5f};
    c.temperature = 1.37;
    c.operating_points = {{"tumor", 0.42, 0.97, 0.955}};
    c.metrics = {{"roc_auc", "tumor", 0.991, 0.982, 0.997, {}}, {"balanced_error_rate", "", 0.031, 0.018, 0.047, {}},
                 {"roc_auc", "tumor", 0.985, 0.962, 0.998, "Sartaj"}};
    c.roc["tumor"] = {{0.99, 0.0, 0.5}, {0.42, 0.045, 0.97}, {0.01, 1.0, 1.0}};
    c.data = {"Br35H (Hamada 2020)", "../shared/data/brain_mri", "research use", "by near-duplicate group", 1500, 500, 530};
    c.intended_use = "Research and teaching.";
    c.limitations = {"Mixed MR sequences.", "Not a medical device."};
    c.onnx_file = "brain_mri.onnx";
    c.onnx_sha256 = std::string(64, 'a');
    return c;
}

std::string card_json_without(const std::string& dotted_path) {
    Json j = Json::parse(rl::model_card_to_json(card_valid()));
    const size_t dot = dotted_path.find('.');
    if (dot == std::string::npos) j.erase(dotted_path);
    else j[dotted_path.substr(0, dot)].erase(dotted_path.substr(dot + 1));
    return j.dump();
}

std::string parse_error(const std::string& text) {
    ModelCard card;
    const rl::Status s = rl::model_card_parse(text, &card);
    return s.ok() ? "" : s.message;
}

std::string validate_error(const ModelCard& c) { return rl::model_card_validate(c).message; }

}  // namespace

TEST(ModelCard, RoundTripsThroughJson) {
    const ModelCard a = card_valid();
    const std::string text = rl::model_card_to_json(a);
    ModelCard b;
    const rl::Status s = rl::model_card_parse(text, &b);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_EQ(b.labels, a.labels);
    ASSERT_EQ(b.metrics.size(), 3u);
    EXPECT_EQ(b.metrics[0].source, "");  // the whole test split: no source field in the JSON
    EXPECT_EQ(b.metrics[2].source, "Sartaj");
    EXPECT_EQ(text.find("\"source\": \"\""), std::string::npos);
    EXPECT_EQ(b.input.width, 128);
    EXPECT_EQ(b.input.resize, rl::ResizePolicy::pad_to_square);
    EXPECT_FLOAT_EQ(b.input.mean, 0.25f);
    EXPECT_DOUBLE_EQ(b.temperature, 1.37);
    ASSERT_EQ(b.operating_points.size(), 1u);
    EXPECT_DOUBLE_EQ(b.operating_points[0].specificity, 0.955);
    ASSERT_EQ(b.roc.at("tumor").size(), 3u);
    EXPECT_DOUBLE_EQ(b.roc.at("tumor")[1].fpr, 0.045);
    EXPECT_EQ(b.data.test_count, 530);
    EXPECT_EQ(b.limitations, a.limitations);
    EXPECT_EQ(rl::model_card_to_json(b), text);  // stable text: cards diff cleanly
}

class ModelCardMissingField : public testing::TestWithParam<std::string> {};

TEST_P(ModelCardMissingField, IsRejectedByName) {
    const std::string error = parse_error(card_json_without(GetParam()));
    EXPECT_NE(error.find("'" + GetParam() + "'"), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(EveryRequiredField, ModelCardMissingField,
                         testing::Values("format_version", "name", "task", "labels", "output_kind", "input", "input.width",
                                         "input.height", "input.channels", "input.resize", "input.scaling", "input.mean",
                                         "input.std", "onnx", "onnx.file", "onnx.sha256", "calibration",
                                         "calibration.temperature", "operating_points", "metrics", "roc", "data",
                                         "data.dataset", "data.source", "data.license", "data.split_policy",
                                         "data.counts", "intended_use", "limitations"));

TEST(ModelCard, WrongTypesAndSyntaxAreRejected) {
    EXPECT_EQ(parse_error("{not json"), "not valid JSON");
    EXPECT_EQ(parse_error("[1, 2]"), "not a JSON object");
    Json j = Json::parse(rl::model_card_to_json(card_valid()));
    j["labels"] = "tumor";
    EXPECT_NE(parse_error(j.dump()).find("'labels' has the wrong type"), std::string::npos);
    j = Json::parse(rl::model_card_to_json(card_valid()));
    j["input"]["width"] = 12.5;
    EXPECT_NE(parse_error(j.dump()).find("'input.width' must be an integer"), std::string::npos);
    j = Json::parse(rl::model_card_to_json(card_valid()));
    j["format_version"] = 2;
    EXPECT_NE(parse_error(j.dump()).find("'format_version'"), std::string::npos);
    j = Json::parse(rl::model_card_to_json(card_valid()));
    j["roc"]["tumor"][0] = Json::array({0.5, 0.1});
    EXPECT_NE(parse_error(j.dump()).find("'roc.tumor[0]'"), std::string::npos);
    j = Json::parse(rl::model_card_to_json(card_valid()));
    j["input"]["resize"] = "letterbox";
    EXPECT_NE(parse_error(j.dump()).find("'input.resize'"), std::string::npos);
}

TEST(ModelCard, InconsistentValuesNameTheField) {
    ModelCard c = card_valid();
    c.labels = {"tumor", "tumor"};
    EXPECT_NE(validate_error(c).find("'labels' has a duplicate"), std::string::npos);

    c = card_valid();
    c.labels = {"tumor"};
    EXPECT_NE(validate_error(c).find("'labels' needs at least two"), std::string::npos);

    c = card_valid();
    c.operating_points[0].label = "glioma";
    EXPECT_NE(validate_error(c).find("'operating_points[0].label'"), std::string::npos);

    c = card_valid();
    c.operating_points[0].threshold = 1.5;
    EXPECT_NE(validate_error(c).find("'operating_points[0].threshold'"), std::string::npos);

    c = card_valid();
    c.operating_points.clear();
    EXPECT_NE(validate_error(c).find("has none for label 'tumor'"), std::string::npos);

    c = card_valid();
    c.output_kind = rl::OutputKind::sigmoid;  // every label then needs its own threshold
    EXPECT_NE(validate_error(c).find("has none for label 'no_tumor'"), std::string::npos);

    c = card_valid();
    c.metrics[0].ci_low = 0.995;
    EXPECT_NE(validate_error(c).find("'metrics[0]' needs ci_low <= value <= ci_high"), std::string::npos);

    c = card_valid();
    c.roc["tumor"][0].tpr = 1.2;
    EXPECT_NE(validate_error(c).find("'roc.tumor[0]'"), std::string::npos);

    c = card_valid();
    c.temperature = 0.0;
    EXPECT_NE(validate_error(c).find("'calibration.temperature'"), std::string::npos);

    c = card_valid();
    c.input.std = 0.0f;
    EXPECT_NE(validate_error(c).find("'input'"), std::string::npos);

    c = card_valid();
    c.data.test_count = 0;
    EXPECT_NE(validate_error(c).find("'data.counts'"), std::string::npos);

    for (const std::string& sha : {std::string(63, 'a'), std::string(64, 'A'), std::string(64, 'g')}) {
        c = card_valid();
        c.onnx_sha256 = sha;
        EXPECT_NE(validate_error(c).find("'onnx.sha256'"), std::string::npos) << sha;
    }
}

TEST(ModelCard, DecisionLabelsFollowTheOutputKind) {
    ModelCard c = card_valid();
    EXPECT_EQ(rl::model_card_decision_labels(c), std::vector<std::string>{"tumor"});
    c.labels = {"a", "b", "c"};
    EXPECT_TRUE(rl::model_card_decision_labels(c).empty());
    c.output_kind = rl::OutputKind::sigmoid;
    EXPECT_EQ(rl::model_card_decision_labels(c), c.labels);
}

TEST(ModelCard, IsCheckedAgainstItsModel) {
    const ModelCard c = card_valid();
    rl::ModelFacts facts{c.onnx_sha256, 1, -1, -1, 2};  // dynamic spatial dims pass
    EXPECT_TRUE(rl::model_card_check_model(c, facts).ok());

    facts.sha256 = std::string(64, 'b');
    const std::string tampered = rl::model_card_check_model(c, facts).message;
    EXPECT_NE(tampered.find("brain_mri.onnx"), std::string::npos);
    EXPECT_NE(tampered.find("'onnx.sha256'"), std::string::npos);

    facts = {c.onnx_sha256, 1, 128, 96, 2};
    EXPECT_NE(rl::model_card_check_model(c, facts).message.find("'input.width'"), std::string::npos);
    facts = {c.onnx_sha256, 3, 128, 128, 2};
    EXPECT_NE(rl::model_card_check_model(c, facts).message.find("'input.channels'"), std::string::npos);
    facts = {c.onnx_sha256, 1, 128, 128, 14};
    EXPECT_NE(rl::model_card_check_model(c, facts).message.find("'labels' has 2 entries but the model outputs 14"), std::string::npos);
}

TEST(ModelCard, DomainAndHeatmapChecksRoundTripAndAreValidated) {
    ModelCard a = card_valid();
    a.domain = {"domain_distance", "axial brain MRI slices", "Mahalanobis ...", 2.5, 300, 1.0, 3.0,
                {{"own test split", "own", 386, 0.0104}, {"synthetic noise", "unrelated", 10, 1.0}}};
    const std::string text = rl::model_card_to_json(a);
    ModelCard b;
    ASSERT_TRUE(rl::model_card_parse(text, &b).ok());
    EXPECT_EQ(b.domain.output, "domain_distance");
    EXPECT_DOUBLE_EQ(b.domain.threshold, 2.5);
    ASSERT_EQ(b.domain.checks.size(), 2u);
    EXPECT_EQ(b.domain.checks[1].relation, "unrelated");
    EXPECT_EQ(rl::model_card_to_json(b), text);
    EXPECT_EQ(Json::parse(rl::model_card_to_json(card_valid())).contains("domain"), false);  // optional

    a.domain.checks[0].relation = "cousin";
    EXPECT_EQ(validate_error(a), "field 'domain.checks[0].relation' must be own, related or unrelated");
    a.domain.checks.clear();
    a.domain.threshold = 5.0;  // above every validation distance
    EXPECT_EQ(validate_error(a), "field 'domain.validation' needs median <= threshold <= max");
    ModelCard h = card_valid();
    h.heatmap_checks = {{"randomised heads: rank correlation", 40, 0.12}};
    ModelCard hb;
    ASSERT_TRUE(rl::model_card_parse(rl::model_card_to_json(h), &hb).ok());
    ASSERT_EQ(hb.heatmap_checks.size(), 1u);
    EXPECT_DOUBLE_EQ(hb.heatmap_checks[0].value, 0.12);
    h.heatmap_checks[0].value = 1.5;
    EXPECT_EQ(validate_error(h), "field 'heatmap_checks[0].value' must be in [0, 1]");
    Json j = Json::parse(text);
    j["domain"]["output"] = "";
    EXPECT_EQ(parse_error(j.dump()), "field 'domain.output' is empty");
}
