// The queue of opened files: each is read, decoded and preprocessed by the
// core, checked by the gatekeeper, classified by the chosen model, and kept
// as one result row. One file is in flight at a time; a failure is a row
// with its error and the queue goes on.
#pragma once
#include <string>
#include <vector>

#include "gatekeeper.h"
#include "image_decode.h"
#include "models.h"
#include "postprocess.h"
#include "preprocess.h"

enum class ItemState { queued, reading, running, done, failed };

struct Item {
    int file_id = -1;  // intake.js's handle of the File
    std::string path;  // as opened: file name or folder-relative path
    ItemState state = ItemState::queued;
    std::string error;
    std::string model;                // that produced the probabilities
    std::vector<float> probs;         // [labels], calibrated
    rl::Answer answer;                // decision (or "abstain"), in domain, note
    std::string precheck;             // why the input cannot be judged at all (domain.h), or ""
    std::vector<float> cam;           // [labels, cam_height, cam_width]
    int cam_width = 0, cam_height = 0;
    rl::ImageRegion seen;             // the part of the image the model saw (the heat map covers it)
    std::vector<float> kinds;         // gatekeeper probabilities, empty without one
    rl::GatekeeperVerdict verdict;
    double total_ms = 0.0;            // read + decode + preprocess + inference + postprocess
    double picture_ms = 0.0;          // read + decode (a DICOM's VOI window included): the picture's share
    double inference_ms = 0.0;        // ONNX Runtime alone, model and gatekeeper
    double start_ms = 0.0;
    int requests_left = 0;            // inferences still out
    int model_request = -1, gate_request = -1;
};

struct Queue {
    std::vector<Item> items;
    int active = -1;  // item in flight
    int next_request = 1;
};

void queue_add(Queue& q, int file_id, const std::string& path);
// Clears results and queues every file again (after a model change).
void queue_restart(Queue& q);
// Starts the next file when none is in flight and the chosen model is ready.
void queue_step(Queue& q, const Models& models);
// The item reading `file_id`, or -1.
int queue_find_file(const Queue& q, int file_id);
// The picture of the item in flight (q.active) was decoded (`decoded` says
// whether it worked): preprocess and send the inferences, or fail the item.
void queue_decoded(Queue& q, Models& models, int item, const rl::Status& decoded, const rl::GrayImage& image);
void queue_fail(Queue& q, int item, const std::string& reason);
// An inference finished. Returns the item it belonged to, or -1.
// domain_distance: the model's domain output (NaN where it has none).
int queue_inference_done(Queue& q, Models& models, int request, const float* probs, int prob_count, const float* cam,
                         int cam_height, int cam_width, double domain_distance, double latency_ms);
int queue_inference_failed(Queue& q, int request, const std::string& message);

int queue_finished(const Queue& q);
// CSV in the columns of the classify command: path, one column per label of
// the chosen model, decision, in_domain, note, error. Finished items only, in queue order.
std::string queue_csv(const Queue& q, const Models& models);
const char* item_state_name(ItemState state);
// A finished item's result in a few words: the decision, or "no answer (" why ")".
std::string item_result(const Item& it);
