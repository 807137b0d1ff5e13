// Task table; see task.h. Provenance text follows ../shared/data/README.md.
#include "task.h"

namespace rl {
namespace {

const char* kNotADevice = "Research and teaching only; not a medical device and not validated for diagnosis.";

std::string disputed_text(const std::vector<Disputed>& disputed) {
    std::string list;
    for (const Disputed& d : disputed) list += (list.empty() ? "" : "; ") + d.path + " shows " + d.finding;
    return "Labels are the source's folders. A visual review (not by a radiologist) disputes " + std::to_string(disputed.size()) +
           " groups: " + list + ". Their images were left out of training and validation; test keeps them with the source's labels, "
           "so a lesion in a 'no' slice that the model calls tumour counts as a false positive.";
}

std::vector<TaskConfig> tasks_make() {
    std::vector<TaskConfig> t;

    TaskConfig brain;
    brain.name = "brain_mri";
    brain.title = "Brain MRI slice: tumour present or not (Br35H and Sartaj)";
    // Sartaj is 9 in 10 tumours: in the loss each source weighs as if it had the pooled class mix, so that its look is no cue
    // to the label (run_data.cpp).
    brain.sources = {{"brain_mri", "Br35H"}, {"brain_mri_sartaj", "Sartaj"}};
    brain.domain_images = "brain MRI slices";
    // The head fills a third of one slice and all of another: cropped to it, validation AUC 0.984 against 0.976 (float32; docs/models.md).
    // Its grey levels equalised, as slices mix four MR sequences and many windows: out-of-fold AUC 0.984 against 0.975,
    // balanced error 0.049 against 0.068, all four folds higher (docs/models.md).
    brain.input = {128, 128, ResizePolicy::crop_to_content, IntensityScaling::equalize, 0.0f, 1.0f};
    brain.widths = {16, 32, 64, 128};  // 32-256 + stem + weight decay 0.05 overfitted: validation AUC 0.942 against 0.974 (an earlier split; docs/models.md)
    brain.epochs = 30;
    brain.weight_decay = 1e-4;  // validation AUC 0.974, against 0.965 with 0.05 (an earlier split)
    // Gamma 1.5 for slices that mix four MR sequences: out-of-fold AUC 0.966 against 0.946, higher in all four folds (docs/models.md).
    // Kept after equalisation: out-of-fold balanced error 0.049 against 0.054 without it.
    brain.augment = {true, 15.0, 0.10, 0.08, 0.15, 1.5};
    brain.patience = 30;  // run the whole schedule: one seed stopped at epoch 19 with 0.953, and reached 0.971 at epoch 25 when let run (an earlier split)
    brain.near_duplicate_correlation = 0.94;  // groups.csv misses copies; the lowest value whose joins neither mix classes nor grow the largest group (docs/training.md)
    // One network, no mirror averaging: on both sources' validation slices neither the second and third networks nor the
    // mirror raised the AUC of both sources (docs/models.md, "Two sources"); on Br35H alone both had.
    brain.members = 1;
    brain.mirror_average = false;
    // The slice minus its mirror as a second channel, for lesions unlike the training tumours: out-of-fold AUC 0.990
    // against 0.984, balanced error 0.043 against 0.049, three of four folds higher; confirmed at two more seeds (docs/models.md).
    brain.asymmetry = true;
    brain.dataset_name = "Br35H: Brain Tumor Detection 2020 (A. Hamada, Kaggle); Sartaj: Brain Tumor Classification (MRI) "
                         "(S. Bhuvaji et al., Kaggle, 2020)";
    brain.copy_listing_sha256 = "6814382dd0b2815af94500b91686b09947f26ae3444c5b4c42c4d79b26383a0f";
    brain.copy_dataset = brain.dataset_name + ": 2,530 of Br35H's 3,000 axial slices and 2,419 of Sartaj's 3,264 slices (its copies of "
                         "Br35H slices left out)";
    brain.copy_source = "Br35H: GitHub CodePraisy/Brain-Cancer-Detection-Science-Fair-2022-2023 @ 57ab5a70; Sartaj: GitHub "
                        "Chong3x/Brain-Tumor-Classification-DataSet @ e53ad0c8; grayscale, long side <= 256 px";
    brain.license = "Br35H: none stated, research and educational use (see the Kaggle dataset page); Sartaj: MIT, as its authors state";
    brain.intended_use = "Teaching and research demonstrations of tumour / no-tumour classification on single brain MR slices.";
    brain.limitations = {{"Slices mix T1, contrast T1, T2 and FLAIR; no sequence, scanner or patient information is available."},
                         {"Br35H's slices are axial; Sartaj's also sagittal and coronal, and 9 in 10 of them show a tumour (glioma, "
                          "meningioma or pituitary). Figures are given per source as well as pooled."},
                         {"Sartaj's labels were not reviewed; later users of that dataset have questioned some of them."},
                         {"Near-duplicate slices dominate the set (one slice flipped, re-windowed or re-cropped); each set of copies stays on one side of the split."},
                         {"Image size correlated with the label in the source; every input is cropped to the head (pixels above 10 % of full scale), padded to a square and resized to 128 px to hide it. Bright text or markers outside the head widen that crop."},
                         {"The head's grey levels are equalised (ranked): the model sees their order rather than their values, so a slice's brightness, contrast and gamma matter little."},
                         {"Trained on 2D slices only; it says nothing about a whole study."},
                         {kNotADevice}};
    // One image of each of groups.csv's 440 groups, reviewed on screen by an engineer, not a radiologist (docs/training.md).
    brain.disputed = {{"brain_mri/no/no1051.jpg", "a ring-enhancing lesion (contrast T1)"},
                      {"brain_mri/no/no1053.jpg", "a round bright mass at the cortex (T2)"},
                      {"brain_mri/no/no1102.jpg", "two enhancing nodules (contrast T1)"},
                      {"brain_mri/no/no1165.jpg", "a round bright mass at the cortex (T2)"},
                      {"brain_mri/no/no1183.jpg", "a round cortical lesion among white-matter lesions (T2)"},
                      {"brain_mri/no/no1281.jpg", "two enhancing nodules (contrast T1)"},
                      {"brain_mri/no/no1283.jpg", "a ring-shaped lesion (contrast T1)"},
                      {"brain_mri/yes/y1113.jpg", "an abdominal CT slice, not a brain"}};
    brain.limitations.insert(brain.limitations.end() - 1, {disputed_text(brain.disputed)});
    t.push_back(brain);

    TaskConfig pneumonia;
    pneumonia.name = "chest_pneumonia";
    pneumonia.title = "Paediatric chest X-ray: pneumonia or normal (Kermany)";
    pneumonia.sources = {{"chest_pneumonia", "Kermany"}};
    pneumonia.domain_images = "frontal chest X-rays of young children";
    pneumonia.input = {128, 128, ResizePolicy::stretch, IntensityScaling::full_range, 0.0f, 1.0f};
    pneumonia.widths = {32, 64, 128, 256};
    pneumonia.stem_stride = 2;
    pneumonia.epochs = 25;
    pneumonia.augment = {false, 7.0, 0.08, 0.05, 0.15};
    pneumonia.dataset_name = "Kermany et al., Cell 2018 (doi:10.1016/j.cell.2018.02.010), Mendeley Data v2";
    pneumonia.copy_listing_sha256 = "342c04fcba01e6d7f56075d3d4930e4d6055ccc9e3a74c84e98503ee5414ea57";
    pneumonia.copy_dataset = pneumonia.dataset_name + "; 4,964 AP radiographs of children aged 1-5";
    pneumonia.copy_source = "GitHub waliatushar/ai-pneumonia-detection @ 362d6d1b; already squashed to 224x224, grayscale";
    pneumonia.license = "CC BY 4.0";
    pneumonia.intended_use = "Teaching and research on pneumonia vs normal in paediatric frontal chest radiographs.";
    pneumonia.limitations = {{"Children 1-5 years from one Guangzhou centre: adults and other hospitals are out of distribution."},
                             {"The source squashed every film to a square, so anatomy proportions are distorted; inputs are stretched the same way.", true},
                             {"The original train/test folders share patients; this model pools them and splits by patient instead, so its figures are not comparable to the original test-set numbers."},
                             {"Side markers, text and devices in the films can act as shortcuts."},
                             {"Its heat map is hardly more on the lungs than an even spread would be (0.42 of the map on the lung fields, "
                              "which cover 0.36 of the film; scripts/heatmap_check.mjs): most of it lies on the mediastinum, the spine and "
                              "the borders, so it does not show where a pneumonia is.",
                              true},
                             {kNotADevice}};
    t.push_back(pneumonia);

    TaskConfig nih;
    nih.name = "chest_nih14";
    nih.title = "Chest X-ray: 14 findings, multi-label (NIH ChestX-ray14)";  // true of any copy; the data line names the subset
    nih.sources = {{"chest_nih14", "NIH"}};
    nih.domain_images = "frontal chest X-rays of adults";
    nih.output_kind = OutputKind::sigmoid;
    nih.input = {64, 64, ResizePolicy::stretch, IntensityScaling::full_range, 0.0f, 1.0f};
    nih.widths = {16, 32, 64, 128};
    nih.epochs = 40;
    nih.patience = 10;
    nih.validation_fraction = 0.2;
    nih.test_fraction = 0.2;
    nih.augment = {false, 7.0, 0.08, 0.05, 0.15};
    nih.members = 4;  // validation mean AUC 0.682 for the four averaged, against 0.657-0.688 alone (seed 1: 0.660); 4.5 MB
    nih.dataset_name = "NIH ChestX-ray14 (Wang et al., CVPR 2017)";
    nih.copy_listing_sha256 = "73724b1c12eeddd28d9a4f3bf7bcc491a14ecaf18be6bd0e9c16e134cb660194";
    nih.copy_title = "Chest X-ray, 14 findings, multi-label (NIH ChestX-ray14): a demonstrator of the multi-label pipeline, trained on "
                     "846 images at 64 px (0.75 % of the public set)";
    nih.copy_dataset = nih.dataset_name + ", 846 frontal radiographs of 233 patients at 64x64";
    nih.copy_source = "images: GitHub dinbe0527/kcr2019d1 @ ab26402f (NIH1000/); labels: Data_Entry_2017.csv from GitHub qqto2008/capstone @ cfe6522a";
    nih.license = "NIH Clinical Center: unrestricted use; cite Wang et al. 2017 and acknowledge the NIH Clinical Center";
    nih.intended_use = "Teaching the multi-label set-up of ChestX-ray14.";
    nih.limitations = {{"846 images of 233 patients at 64x64: a demonstration, far too small to rely on; small findings (nodule, pneumothorax, mass) are barely visible.", true},
                       {"Retrained on the full public download (112,120 films of 30,805 patients) by `RL_DATA_DIR=DIR scripts/model.sh "
                        "chest_nih14`, with DIR/chest_nih14 holding Data_Entry_2017.csv and images_001/images/ to images_012/images/; "
                        "at 64 px its images take 1.8 GB of memory.",
                        true},
                       {"Labels were text-mined from reports (about 90 % accurate by the authors' estimate)."},
                       {"Several findings have fewer than 5 positive test images; their AUC intervals are very wide or undefined.", true},
                       {"Not a random sample: patients 1-278 only, balanced normal vs abnormal by the source author.", true}, {kNotADevice}};
    t.push_back(nih);

    TaskConfig mias;
    mias.name = "mammo_mias";
    mias.title = "Mammogram (MLO): normal or abnormal (mini-MIAS)";
    mias.sources = {{"mammo_mias", "MIAS"}};
    mias.domain_images = "scanned film mammograms (MLO)";
    mias.input = {256, 256, ResizePolicy::stretch, IntensityScaling::full_range, 0.0f, 1.0f};
    mias.widths = {16, 32, 64, 128};  // small lesions: full 256 px, halved by the stem; narrow for 165 training films
    mias.stem_stride = 2;
    mias.epochs = 60;
    mias.patience = 15;
    mias.batch_size = 16;
    mias.validation_fraction = 0.2;
    mias.test_fraction = 0.2;
    mias.augment = {true, 10.0, 0.10, 0.05, 0.15};
    mias.dataset_name = "mini-MIAS (Suckling et al. 1994)";
    mias.copy_listing_sha256 = "58f604f62ef4af5b1a791a126ad36f29f8606d3b47e3730313f51c9f2dce43d7";
    mias.copy_dataset = mias.dataset_name + ", 272 of 322 MLO films at 256x256";
    mias.copy_source = "GitHub theidentity/MammogramVisualization @ a2e65522 (original PGMs, Info.txt)";
    mias.license = "research use only; the database may not be sold; cite Suckling et al. 1994";
    mias.intended_use = "Teaching the difficulty of mammogram screening with very little data.";
    mias.limitations = {{"272 films of 136 women; the test split holds about 55 films, so every figure has a wide interval.", true},
                        {"Calcifications are a few pixels at 256 px (800 micron pixels); the model mostly sees masses and distortions."},
                        {"Scanned film from the 1990s, unlike current digital mammography."},
                        {"Out of fold (four networks, each scoring the quarter of the 216 films outside test that it did not train on), "
                         "this recipe reached ROC AUC 0.49, 0.54 and 0.56 at three seeds: no better than chance. The test figures rest "
                         "on 28 women; its scores show how little 216 films teach, not whether a film is abnormal.",
                         true},
                        {kNotADevice}};
    // Seed 1, the shipped split: `train --task mammo_mias --members 4 --cross-fit` (docs/models.md, arm R).
    mias.recipe_metrics = {{std::string(kOutOfFoldPrefix) + "roc_auc", "abnormal", 0.493, 0.430, 0.562, {}}};
    t.push_back(mias);

    TaskConfig mednist;
    mednist.name = "mednist";
    mednist.title = "Body region / modality: AbdomenCT, BreastMRI, CXR, ChestCT, Hand, HeadCT (MedNIST)";
    mednist.sources = {{"mednist", "MedNIST"}};
    mednist.domain_images = "MedNIST images (abdomen CT, breast MRI, chest X-ray, chest CT, hand X-ray, head CT)";
    mednist.input = {64, 64, ResizePolicy::stretch, IntensityScaling::full_range, 0.0f, 1.0f};
    mednist.widths = {16, 32, 64, 128};
    mednist.near_duplicate_correlation = 0.94;  // no patient ids: joins neighbouring slices of one volume; same rule as brain_mri (docs/training.md)
    mednist.epochs = 12;
    mednist.patience = 4;
    mednist.batch_size = 64;
    mednist.augment = {};  // 6,300 training images are plenty; any warp lowered validation accuracy
    mednist.dataset_name = "MedNIST (B. J. Erickson, Mayo Clinic; distributed by Project MONAI)";
    mednist.copy_listing_sha256 = "63c3c8bf68cb0af1ad462da9f700ab8403ef092df1c31608d9f61be4d8b3ea0d";
    mednist.copy_dataset = mednist.dataset_name + ", 9,000 of 58,954 64x64 images";
    mednist.copy_source = "GitHub apolanco3225/Medical-MNIST-Classification @ a8942eef, class-stratified subset";
    mednist.license = "CC BY-SA 4.0 (Project MONAI); TCIA, RSNA and NIH citation requests apply";
    mednist.intended_use = "Recognising which kind of image was dropped in, to warn when another model is used outside its training domain.";
    mednist.limitations = {{"Six kinds only: anything else (knee MRI, ultrasound, a photo) is forced into one of them."},
                           {"An easy task (near-perfect accuracy is normal); it checks modality, not image quality or disease."},
                           {kNotADevice}};
    t.push_back(mednist);
    return t;
}

}  // namespace

const std::vector<TaskConfig>& task_all() {
    static const std::vector<TaskConfig> tasks = tasks_make();
    return tasks;
}

const TaskConfig* task_find(const std::string& name) {
    for (const TaskConfig& t : task_all())
        if (t.name == name) return &t;
    return nullptr;
}

CopyText task_copy_text(const TaskConfig& task, const std::string& listing_sha256, size_t images) {
    const bool shipped_copy = listing_sha256 == task.copy_listing_sha256;
    CopyText out;
    out.title = shipped_copy && !task.copy_title.empty() ? task.copy_title : task.title;
    out.dataset = shipped_copy ? task.copy_dataset : task.dataset_name + ", " + std::to_string(images) + " images listed in the copy read";
    out.source = shipped_copy ? task.copy_source
                              : "the data folder given to the trainer; its listing (paths, file sizes, labels) has SHA-256 " + listing_sha256;
    for (const Limitation& l : task.limitations)
        if (shipped_copy || !l.copy_only) out.limitations.push_back(l.text);
    return out;
}

Status task_read(const TaskConfig& task, const std::string& root, DatasetListing* out) {
    *out = DatasetListing{};
    for (const DataSource& source : task.sources) {
        const std::string dir = root + "/" + source.dir;
        DatasetListing one;
        Status s;
        if (task.name == "brain_mri") s = dataset_read_class_folders(dir, {{"no", "no_tumor"}, {"yes", "tumor"}}, &one);
        else if (task.name == "chest_pneumonia") s = dataset_read_kermany(dir, &one);
        else if (task.name == "chest_nih14") s = dataset_read_nih(dir, &one);
        else if (task.name == "mammo_mias") s = dataset_read_mias(dir, &one);
        else s = dataset_read_class_folders(dir + "/MedNIST", {{"AbdomenCT", "AbdomenCT"}, {"BreastMRI", "BreastMRI"}, {"CXR", "CXR"},
                                                                {"ChestCT", "ChestCT"}, {"Hand", "Hand"}, {"HeadCT", "HeadCT"}}, &one);
        // Class folders' group ids are paths, unique across sources; a reader of patient ids would need them prefixed.
        if (s.ok()) s = dataset_groups_merge(dir, &one);
        if (!s.ok()) return s;
        out->labels = one.labels;
        for (Sample& smp : one.samples) smp.source = source.name, out->samples.push_back(smp);
        out->problems.insert(out->problems.end(), one.problems.begin(), one.problems.end());
    }
    return Status::success();
}

std::string task_listing_sha256(const TaskConfig& task, const std::string& root, const DatasetListing& listing) {
    return dataset_listing_sha256(listing, task.sources.size() == 1 ? root + "/" + task.sources[0].dir : root);
}

}  // namespace rl
