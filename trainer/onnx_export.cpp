// ONNX graph construction; see onnx_export.h.
#include "onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <fstream>

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

}  // namespace

Status onnx_export(Network& net, int input_height, int input_width, OutputKind kind, double temperature,
                   const std::string& model_name, const OnnxNames& names, const std::string& path) {
    torch::NoGradGuard no_grad;
    net->eval();
    net->to(torch::kCPU);
    onnx::ModelProto model;
    model.set_ir_version(onnx::IR_VERSION);
    model.set_producer_name("radiolens-train");
    model.set_model_version(1);
    onnx::OperatorSetIdProto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    onnx::GraphProto* g = model.mutable_graph();
    g->set_name(model_name);

    std::string x = names.input;
    int h = input_height, w = input_width;
    for (size_t i = 0; i < net->convs.size(); ++i) {
        // Fold batch norm (eval statistics) into the bias-free convolution, in double.
        const auto& bn = net->norms[i];
        const torch::Tensor scale = bn->weight.to(torch::kDouble) / torch::sqrt(bn->running_var.to(torch::kDouble) + bn->options.eps());
        const torch::Tensor weight = net->convs[i]->weight.to(torch::kDouble) * scale.view({-1, 1, 1, 1});
        const torch::Tensor bias = bn->bias.to(torch::kDouble) - bn->running_mean.to(torch::kDouble) * scale;
        const std::string id = std::to_string(i);
        initializer_add(g, "conv" + id + ".weight", weight);
        initializer_add(g, "conv" + id + ".bias", bias);
        onnx::NodeProto* conv = node_add(g, "Conv", {x, "conv" + id + ".weight", "conv" + id + ".bias"}, {"conv" + id});
        ints_attribute(conv, "kernel_shape", {3, 3});
        ints_attribute(conv, "pads", {1, 1, 1, 1});
        if (i == 0 && net->stem_stride != 1) {
            ints_attribute(conv, "strides", {net->stem_stride, net->stem_stride});
            h = (h - 1) / net->stem_stride + 1, w = (w - 1) / net->stem_stride + 1;  // 3x3, pad 1
        }
        x = "relu" + id;
        node_add(g, "Relu", {"conv" + id}, {x});
        if (network_pools_after(*net, i)) {
            onnx::NodeProto* pool = node_add(g, "MaxPool", {x}, {"pool" + id});
            ints_attribute(pool, "kernel_shape", {2, 2});
            ints_attribute(pool, "strides", {2, 2});
            x = "pool" + id;
            h /= 2, w /= 2;
        }
    }
    // Head as a 1x1 convolution, divided by the temperature: cam and logits are calibrated.
    const torch::Tensor head_w = net->head->weight.to(torch::kDouble) / temperature;  // [K, C]
    const torch::Tensor head_b = net->head->bias.to(torch::kDouble) / temperature;
    const int64_t labels = head_w.size(0), channels = head_w.size(1);
    initializer_add(g, "head.weight", head_w.view({labels, channels, 1, 1}));
    initializer_add(g, "head.bias", head_b);
    node_add(g, "Conv", {x, "head.weight", "head.bias"}, {names.cam});
    node_add(g, "GlobalAveragePool", {names.cam}, {"pooled"});
    int_attribute(node_add(g, "Flatten", {"pooled"}, {"logits"}), "axis", 1);
    if (kind == OutputKind::softmax) int_attribute(node_add(g, "Softmax", {"logits"}, {names.probabilities}), "axis", 1);
    else node_add(g, "Sigmoid", {"logits"}, {names.probabilities});

    value_add(g->mutable_input(), names.input, {0, 1, input_height, input_width});
    value_add(g->mutable_output(), names.probabilities, {0, labels});
    value_add(g->mutable_output(), names.cam, {0, labels, h, w});
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& e) {
        return Status::failure(path + ": ONNX checker rejected the graph (" + e.what() + ")");
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !model.SerializeToOstream(&out)) return Status::failure(path + ": cannot write");
    return Status::success();
}

}  // namespace rl
