// ONNX graph construction; see onnx_export.h.
#include "onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

namespace rl {
namespace {

constexpr int kOpset = 13;

void initializer_add(onnx::GraphProto* g, const std::string& name, const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kCPU, torch::kFloat).contiguous();
    onnx::TensorProto* p = g->add_initializer();
    p->set_name(name);
    p->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : c.sizes()) p->add_dims(d);
    p->set_raw_data(c.data_ptr<float>(), size_t(c.numel()) * sizeof(float));
}

// Column indices width-1 ... 0: Gather on the width axis with them mirrors left-right.
void reversed_columns_add(onnx::GraphProto* g, const std::string& name, int width) {
    onnx::TensorProto* p = g->add_initializer();
    p->set_name(name);
    p->set_data_type(onnx::TensorProto::INT64);
    p->add_dims(width);
    for (int i = width - 1; i >= 0; --i) p->add_int64_data(i);
}

onnx::NodeProto* node_add(onnx::GraphProto* g, const std::string& op, std::initializer_list<std::string> in,
                          std::initializer_list<std::string> out) {
    onnx::NodeProto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(*out.begin());
    for (const std::string& s : in) n->add_input(s);
    for (const std::string& s : out) n->add_output(s);
    return n;
}

void ints_attribute(onnx::NodeProto* n, const std::string& name, std::initializer_list<int64_t> values) {
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values) a->add_ints(v);
}

void int_attribute(onnx::NodeProto* n, const std::string& name, int64_t value) {
    onnx::AttributeProto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
}

// A float tensor value with a symbolic batch dimension and fixed others.
void value_add(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list, const std::string& name,
               std::initializer_list<int64_t> dims) {
    onnx::ValueInfoProto* v = list->Add();
    v->set_name(name);
    onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    bool first = true;
    for (int64_t d : dims) {
        onnx::TensorShapeProto_Dimension* dim = t->mutable_shape()->add_dim();
        if (first) dim->set_dim_param("batch");
        else dim->set_dim_value(d);
        first = false;
    }
}

// One member's convolutions (batch norm folded) and head, as a 1x1 convolution
// divided by `head_divisor`: writes `cam_name`, returns the map's height and width.
std::pair<int, int> member_add(onnx::GraphProto* g, Network& net, const std::string& prefix, const std::string& input,
                               int h, int w, double head_divisor, const std::string& cam_name) {
    std::string x = input;
    for (size_t i = 0; i < net->convs.size(); ++i) {
        // Fold batch norm (eval statistics) into the bias-free convolution, in double.
        const auto& bn = net->norms[i];
        const torch::Tensor scale = bn->weight.to(torch::kDouble) / torch::sqrt(bn->running_var.to(torch::kDouble) + bn->options.eps());
        const torch::Tensor weight = net->convs[i]->weight.to(torch::kDouble) * scale.view({-1, 1, 1, 1});
        const torch::Tensor bias = bn->bias.to(torch::kDouble) - bn->running_mean.to(torch::kDouble) * scale;
        const std::string id = std::to_string(i), conv_name = prefix + "conv" + id;
        initializer_add(g, conv_name + ".weight", weight);
        initializer_add(g, conv_name + ".bias", bias);
        onnx::NodeProto* conv = node_add(g, "Conv", {x, conv_name + ".weight", conv_name + ".bias"}, {conv_name});
        ints_attribute(conv, "kernel_shape", {3, 3});
        ints_attribute(conv, "pads", {1, 1, 1, 1});
        if (i == 0 && net->stem_stride != 1) {
            ints_attribute(conv, "strides", {net->stem_stride, net->stem_stride});
            h = (h - 1) / net->stem_stride + 1, w = (w - 1) / net->stem_stride + 1;  // 3x3, pad 1
        }
        x = prefix + "relu" + id;
        node_add(g, "Relu", {conv_name}, {x});
        if (network_pools_after(*net, i)) {
            onnx::NodeProto* pool = node_add(g, "MaxPool", {x}, {prefix + "pool" + id});
            ints_attribute(pool, "kernel_shape", {2, 2});
            ints_attribute(pool, "strides", {2, 2});
            x = prefix + "pool" + id;
            h /= 2, w /= 2;
        }
    }
    const torch::Tensor head_w = net->head->weight.to(torch::kDouble) / head_divisor;  // [K, C]
    const torch::Tensor head_b = net->head->bias.to(torch::kDouble) / head_divisor;
    initializer_add(g, prefix + "head.weight", head_w.view({head_w.size(0), head_w.size(1), 1, 1}));
    initializer_add(g, prefix + "head.bias", head_b);
    node_add(g, "Conv", {x, prefix + "head.weight", prefix + "head.bias"}, {cam_name});
    return {h, w};
}

Status model_write(onnx::ModelProto& model, const std::string& path) {
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& e) {
        return Status::failure(path + ": ONNX checker rejected the graph (" + e.what() + ")");
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !model.SerializeToOstream(&out)) return Status::failure(path + ": cannot write");
    return Status::success();
}

Status model_read(const std::string& path, onnx::ModelProto* model) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::failure(path + ": cannot open");
    if (!model->ParseFromIstream(&in)) return Status::failure(path + ": not an ONNX model");
    return Status::success();
}

const onnx::TensorProto* initializer_find(const onnx::GraphProto& g, const std::string& name) {
    for (const onnx::TensorProto& t : g.initializer())
        if (t.name() == name) return &t;
    return nullptr;
}

// A float initializer as written by initializer_add (raw data) or by other writers (float_data).
torch::Tensor tensor_of(const onnx::TensorProto& t) {
    std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
    if (!t.raw_data().empty())
        return torch::from_blob(const_cast<char*>(t.raw_data().data()), dims, torch::kFloat).clone();
    return torch::tensor(std::vector<float>(t.float_data().begin(), t.float_data().end())).view(dims);
}

// The first network's prefix: none for a single network, "m1." in an ensemble.
std::string first_prefix(const onnx::GraphProto& g) { return initializer_find(g, "conv0.weight") ? "" : "m1."; }

// Takes out an earlier domain check: its output, its nodes and initializers (named "domain...").
void domain_remove(onnx::GraphProto* g, const std::string& output) {
    const auto ours = [&](const std::string& name) { return name == output || name.rfind("domain.", 0) == 0; };
    auto* outputs = g->mutable_output();
    outputs->erase(std::remove_if(outputs->begin(), outputs->end(), [&](const onnx::ValueInfoProto& v) { return ours(v.name()); }),
                   outputs->end());
    auto* nodes = g->mutable_node();
    nodes->erase(std::remove_if(nodes->begin(), nodes->end(), [&](const onnx::NodeProto& n) { return ours(n.name()); }), nodes->end());
    auto* inits = g->mutable_initializer();
    inits->erase(std::remove_if(inits->begin(), inits->end(), [&](const onnx::TensorProto& t) { return ours(t.name()); }), inits->end());
}

void axes_add(onnx::GraphProto* g, const std::string& name, int64_t axis) {
    onnx::TensorProto* p = g->add_initializer();
    p->set_name(name);
    p->set_data_type(onnx::TensorProto::INT64);
    p->add_dims(1);
    p->add_int64_data(axis);
}

}  // namespace

Status onnx_export(std::vector<Network>& members, int input_height, int input_width, OutputKind kind, double temperature, bool mirror,
                   const std::string& model_name, const OnnxNames& names, const std::string& path) {
    if (members.empty()) return Status::failure(path + ": no network to export");
    torch::NoGradGuard no_grad;
    onnx::ModelProto model;
    model.set_ir_version(onnx::IR_VERSION);
    model.set_producer_name("radiolens-train");
    model.set_model_version(1);
    onnx::OperatorSetIdProto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    onnx::GraphProto* g = model.mutable_graph();
    g->set_name(model_name);

    // Each head is divided by the temperature and the member count (and by 2
    // views when mirrored), so that the maps sum to the mean calibrated map:
    // cam and logits are calibrated.
    const double head_divisor = temperature * double(members.size()) * (mirror ? 2.0 : 1.0);
    std::string views = names.input, views_cam = names.cam;
    if (mirror || members[0]->asymmetry) reversed_columns_add(g, "input_columns_reversed", input_width);
    if (mirror) {
        int_attribute(node_add(g, "Gather", {names.input, "input_columns_reversed"}, {"image_mirrored"}), "axis", 3);
        int_attribute(node_add(g, "Concat", {names.input, "image_mirrored"}, {"views"}), "axis", 0);
        views = "views", views_cam = "views_cam";
    }
    if (members[0]->asymmetry) {  // each view with itself minus its mirror (network.h), shared by the members
        int_attribute(node_add(g, "Gather", {views, "input_columns_reversed"}, {"views_mirrored"}), "axis", 3);
        node_add(g, "Sub", {views, "views_mirrored"}, {"views_asymmetry"});
        int_attribute(node_add(g, "Concat", {views, "views_asymmetry"}, {"views_with_asymmetry"}), "axis", 1);
        views = "views_with_asymmetry";
    }
    const bool single = members.size() == 1;  // a single network keeps its plain graph, without prefixes or Sum
    std::vector<std::string> cams;
    std::pair<int, int> hw;
    for (size_t m = 0; m < members.size(); ++m) {
        members[m]->eval();
        members[m]->to(torch::kCPU);
        const std::string prefix = single ? "" : "m" + std::to_string(m + 1) + ".";
        cams.push_back(single ? views_cam : prefix + "cam");
        hw = member_add(g, members[m], prefix, views, input_height, input_width, head_divisor, cams.back());
    }
    if (!single) {
        onnx::NodeProto* sum = g->add_node();
        sum->set_op_type("Sum");
        sum->set_name(views_cam);
        for (const std::string& c : cams) sum->add_input(c);
        sum->add_output(views_cam);
    }
    if (mirror) {
        // Split's equal halves: the image's maps, then the mirror's, turned back.
        int_attribute(node_add(g, "Split", {views_cam}, {"cam_direct", "cam_mirrored"}), "axis", 0);
        reversed_columns_add(g, "cam_columns_reversed", hw.second);
        int_attribute(node_add(g, "Gather", {"cam_mirrored", "cam_columns_reversed"}, {"cam_unmirrored"}), "axis", 3);
        node_add(g, "Add", {"cam_direct", "cam_unmirrored"}, {names.cam});
    }
    const int64_t labels = members[0]->head->options.out_features();
    node_add(g, "GlobalAveragePool", {names.cam}, {"pooled"});
    int_attribute(node_add(g, "Flatten", {"pooled"}, {"logits"}), "axis", 1);
    if (kind == OutputKind::softmax) int_attribute(node_add(g, "Softmax", {"logits"}, {names.probabilities}), "axis", 1);
    else node_add(g, "Sigmoid", {"logits"}, {names.probabilities});

    value_add(g->mutable_input(), names.input, {0, 1, input_height, input_width});
    value_add(g->mutable_output(), names.probabilities, {0, labels});
    value_add(g->mutable_output(), names.cam, {0, labels, hw.first, hw.second});
    return model_write(model, path);
}

Status onnx_first_network(const std::string& path, Network* out) {
    onnx::ModelProto model;
    Status s = model_read(path, &model);
    if (!s.ok()) return s;
    const onnx::GraphProto& g = model.graph();
    const std::string prefix = first_prefix(g);
    std::vector<torch::Tensor> weights, biases;
    for (int i = 0;; ++i) {
        const onnx::TensorProto* w = initializer_find(g, prefix + "conv" + std::to_string(i) + ".weight");
        const onnx::TensorProto* b = initializer_find(g, prefix + "conv" + std::to_string(i) + ".bias");
        if (!w || !b) break;
        weights.push_back(tensor_of(*w));
        biases.push_back(tensor_of(*b));
    }
    const onnx::TensorProto* head = initializer_find(g, prefix + "head.weight");
    if (weights.empty() || weights.size() % 2 != 0 || !head) return Status::failure(path + ": no network of radiolens-train's shape in the graph");
    std::vector<int> widths;
    for (size_t i = 0; i < weights.size(); i += 2) widths.push_back(int(weights[i].size(0)));
    int stem_stride = 1;
    for (const onnx::NodeProto& n : g.node())
        if (n.name() == prefix + "conv0")
            for (const onnx::AttributeProto& a : n.attribute())
                if (a.name() == "strides" && a.ints_size() > 0) stem_stride = int(a.ints(0));
    Network net(widths, int(head->dims(0)), 0.0, stem_stride, weights[0].size(1) == 2);
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < weights.size(); ++i) {
        net->convs[i]->weight.copy_(weights[i]);
        net->norms[i]->options.eps(0.0);  // with unit variance and zero mean: the norm adds the folded bias, nothing else
        net->norms[i]->weight.fill_(1.0);
        net->norms[i]->bias.copy_(biases[i]);
        net->norms[i]->running_mean.zero_();
        net->norms[i]->running_var.fill_(1.0);
    }
    net->eval();
    *out = net;
    return Status::success();
}

Status onnx_randomise(const std::string& path, const std::string& out, bool last_block, uint64_t seed) {
    onnx::ModelProto model;
    Status s = model_read(path, &model);
    if (!s.ok()) return s;
    onnx::GraphProto* g = model.mutable_graph();
    std::map<std::string, int> last_conv;  // network prefix -> index of its last convolution
    for (const onnx::TensorProto& t : g->initializer()) {
        const size_t at = t.name().rfind("conv");
        if (at == std::string::npos || t.name().size() < 7 || t.name().compare(t.name().size() - 7, 7, ".weight") != 0) continue;
        const std::string prefix = t.name().substr(0, at);
        if (prefix.find("domain") != std::string::npos) continue;
        last_conv[prefix] = std::max(last_conv[prefix], std::atoi(t.name().c_str() + at + 4));
    }
    const auto redrawn = [&](const std::string& name) {
        if (name.find("head.") != std::string::npos && name.rfind("domain.", 0) != 0) return true;
        if (!last_block) return false;
        for (const auto& [prefix, last] : last_conv)
            for (int i : {last - 1, last})
                if (name == prefix + "conv" + std::to_string(i) + ".weight" || name == prefix + "conv" + std::to_string(i) + ".bias") return true;
        return false;
    };
    torch::manual_seed(seed);
    int count = 0;
    for (onnx::TensorProto& t : *g->mutable_initializer()) {
        if (!redrawn(t.name())) continue;
        const torch::Tensor old = tensor_of(t);
        const torch::Tensor fresh = torch::randn(old.sizes()) * old.std().item<float>();
        t.clear_float_data();
        t.set_raw_data(fresh.contiguous().data_ptr<float>(), size_t(fresh.numel()) * sizeof(float));
        ++count;
    }
    if (count == 0) return Status::failure(path + ": no head to randomise");
    return model_write(model, out);
}

Status onnx_domain_append(const std::string& path, const DomainFit& fit, const std::string& output) {
    onnx::ModelProto model;
    Status s = model_read(path, &model);
    if (!s.ok()) return s;
    onnx::GraphProto* g = model.mutable_graph();
    domain_remove(g, output);
    bool mirror = false;
    std::set<std::string> tensors;
    for (const onnx::NodeProto& n : g->node()) {
        mirror = mirror || n.name() == "image_mirrored";
        for (const std::string& o : n.output()) tensors.insert(o);
    }
    const std::string prefix = first_prefix(*g);
    axes_add(g, "domain.axis1", 1);
    axes_add(g, "domain.axis2", 2);
    std::vector<std::string> ratios;
    for (size_t b = 0; b < fit.blocks.size(); ++b) {
        const std::string relu = prefix + "relu" + std::to_string(2 * b + 1), base = "domain.block" + std::to_string(b);
        if (!tensors.count(relu)) return Status::failure(path + ": no tensor '" + relu + "' for the domain check's block " + std::to_string(b));
        node_add(g, "GlobalAveragePool", {relu}, {base + ".pooled"});
        int_attribute(node_add(g, "Flatten", {base + ".pooled"}, {base + ".features"}), "axis", 1);
        std::string features = base + ".features";
        if (mirror) {  // the views' batch is the images, then their mirrors
            int_attribute(node_add(g, "Split", {features}, {base + ".direct", base + ".mirrored"}), "axis", 0);
            features = base + ".direct";
        }
        initializer_add(g, base + ".whitening", fit.blocks[b].whitening);
        initializer_add(g, base + ".means", fit.blocks[b].means);
        initializer_add(g, base + ".inverse_scale", torch::tensor(1.0 / fit.blocks[b].scale, torch::kDouble));
        node_add(g, "MatMul", {features, base + ".whitening"}, {base + ".whitened"});      // [N, C]
        node_add(g, "Unsqueeze", {base + ".whitened", "domain.axis1"}, {base + ".row"});   // [N, 1, C]
        node_add(g, "Sub", {base + ".row", base + ".means"}, {base + ".offsets"});       // [N, K, C]
        node_add(g, "Mul", {base + ".offsets", base + ".offsets"}, {base + ".squares"});
        int_attribute(node_add(g, "ReduceSum", {base + ".squares", "domain.axis2"}, {base + ".class_distances"}), "keepdims", 0);
        onnx::NodeProto* nearest = node_add(g, "ReduceMin", {base + ".class_distances"}, {base + ".distance"});  // [N]
        ints_attribute(nearest, "axes", {1});
        int_attribute(nearest, "keepdims", 0);
        node_add(g, "Mul", {base + ".distance", base + ".inverse_scale"}, {base + ".ratio"});
        ratios.push_back(base + ".ratio");
    }
    onnx::NodeProto* max = node_add(g, "Max", {}, {output});  // after its inputs: the graph must stay sorted
    for (const std::string& r : ratios) max->add_input(r);
    value_add(g->mutable_output(), output, {0});
    return model_write(model, path);
}

}  // namespace rl
