// The browser app's entry point: a GLFW window on the page's canvas, Dear
// ImGui drawn with WebGL2, one frame per browser animation frame.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

namespace {

GLFWwindow* g_window = nullptr;

void app_draw() {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("Radiolens", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted("Radiolens: medical image classification that stays on this machine");
    ImGui::Separator();
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "Research and teaching only. Not a medical device.");
    ImGui::Spacing();
    ImGui::TextWrapped("Five trained models ship in models/ (ONNX + model card), but this page cannot run them yet.");
    ImGui::TextWrapped("Until it can, classify files headless with: node cli/classify.mjs --card web/models/<task>.card.json FILES");
    ImGui::End();
}

void frame() {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    app_draw();
    ImGui::Render();
    int width = 0, height = 0;
    glfwGetFramebufferSize(g_window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.06f, 0.06f, 0.07f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

int main() {
    if (!glfwInit()) return 1;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);  // WebGL2
    int css_width = EM_ASM_INT({ return window.innerWidth; });
    int css_height = EM_ASM_INT({ return window.innerHeight; });
    g_window = glfwCreateWindow(css_width, css_height, "Radiolens", nullptr, nullptr);
    if (!g_window) return 1;
    glfwMakeContextCurrent(g_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no persisted layout
    ImGui::StyleColorsDark();               // reading-room friendly
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
