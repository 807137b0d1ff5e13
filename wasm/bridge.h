// The app's calls into the page's JavaScript (web/*.js). Every call returns
// at once; answers come back through the exported app_* callbacks
// (app_main.cpp), which act on them at once; the next frame shows them.
#pragma once
#include <string>

// Asks intake.js for a file's bytes: app_file_bytes or app_file_failed follows.
void bridge_file_read(int file_id);
// Runs a model on a copy of `input` ([1, height, width] float32): app_inference_done
// or app_inference_failed follows with the same request id.
void bridge_infer(int request, const std::string& model, const float* input, int height, int width);
void bridge_open_files();
void bridge_open_folder();
// Saves `text` as a download named `name` (a blob URL: nothing is sent anywhere).
void bridge_download(const std::string& name, const std::string& text, const std::string& mime);
// Puts text into the page's ARIA live region for screen readers.
void bridge_announce(const std::string& text);
// Every request this page has made, from the browser's resource timing: a
// JSON array of {url, type}, and the page's own origin.
std::string bridge_requests_json();
std::string bridge_origin();
// The service worker's state: "ready", "not yet" or "unavailable (why)".
std::string bridge_offline_state();
