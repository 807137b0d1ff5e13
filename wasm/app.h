// The app's whole state, shared by the main loop (app_main.cpp) and the
// panels (panels.cpp).
#pragma once
#include <string>
#include <vector>

#include "dicom_view.h"
#include "models.h"
#include "queue.h"
#include "viewer.h"

struct App {
    Models models;
    Queue queue;
    Viewer viewer;
    DicomView dicom;                   // the selected file's DICOM image, if it is one
    int selected = -1;                 // item shown in the viewer and results
    int heat_label = 0;                // label whose activation map is shown
    std::vector<float> user_threshold; // per label of the chosen model, for the slider
    float roc_plot[3] = {0, 0, 0};     // the last ROC plot drawn: left, top, side in px (for tests)
    float text_scale = 1.0f;           // + and -: larger text for a projector or a small screen
    bool show_withheld = false;        // an educator asked for the raw output where the model gives no answer
    bool help_request = false;         // F1: bring the help tab forward once
    bool batch_announced = true;       // the end of the current batch was read out
};

// Shows item `index`: its results now, its picture once its bytes arrive.
void app_select(App& app, int index);
// The chosen model changed: thresholds reset and every file runs again.
void app_choose_model(App& app, int index);
// Shows the selected DICOM file's current frame and preset.
void app_show_dicom(App& app);
// Puts the selected item's activation map for app.heat_label on the viewer.
void app_show_cam(App& app);

// panels.cpp
void panels_draw(App& app);
void panels_shortcuts(App& app);
