#version 300 es
// The viewer's image: stored 16-bit values through a linear window/level,
// optionally inverted, with the activation heat map blended over it.
// CPU twin: core/display.cpp (display_render); tests/js/display_shader
// compares the two pixel by pixel.
precision highp float;
precision highp int;
precision highp usampler2D;

uniform usampler2D u_image;   // R16UI stored values, row 0 = first image row
uniform sampler2D u_cam;      // R32F activation map normalised to [0, 1]
uniform float u_window_low;   // center - width / 2, stored-value units
uniform float u_window_width;
uniform bool u_invert;
uniform float u_heat_opacity; // 0: no heat map
uniform vec4 u_cam_placement; // scale_x, bias_x, scale_y, bias_y
out vec4 frag_colour;

vec3 heat_colour(float t) {
    const vec3 stops[5] = vec3[5](vec3(0.00, 0.00, 0.02), vec3(0.34, 0.06, 0.43), vec3(0.73, 0.21, 0.33),
                                  vec3(0.98, 0.55, 0.04), vec3(0.99, 1.00, 0.64));
    float x = clamp(t, 0.0, 1.0) * 4.0;
    int i = min(3, int(floor(x)));
    return mix(stops[i], stops[i + 1], x - float(i));
}

float cam_sample(vec2 c) {
    ivec2 size = textureSize(u_cam, 0);
    vec2 last = vec2(size) - 1.0;
    if (c.x < -0.5 || c.y < -0.5 || c.x > last.x + 0.5 || c.y > last.y + 0.5) return 0.0;
    c = clamp(c, vec2(0.0), last);
    ivec2 p0 = ivec2(floor(c));
    ivec2 p1 = min(p0 + 1, size - 1);
    vec2 f = c - vec2(p0);
    float top = mix(texelFetch(u_cam, p0, 0).r, texelFetch(u_cam, ivec2(p1.x, p0.y), 0).r, f.x);
    float bottom = mix(texelFetch(u_cam, ivec2(p0.x, p1.y), 0).r, texelFetch(u_cam, p1, 0).r, f.x);
    return mix(top, bottom, f.y);
}

void main() {
    ivec2 pixel = ivec2(gl_FragCoord.xy);
    float stored = float(texelFetch(u_image, pixel, 0).r);
    float grey = clamp((stored - u_window_low) / u_window_width, 0.0, 1.0);
    if (u_invert) grey = 1.0 - grey;
    vec3 colour = vec3(grey);
    if (u_heat_opacity > 0.0) {
        vec2 p = vec2(pixel);
        float t = cam_sample(vec2(p.x * u_cam_placement.x + u_cam_placement.y, p.y * u_cam_placement.z + u_cam_placement.w));
        colour = mix(colour, heat_colour(t), u_heat_opacity * t);
    }
    frag_colour = vec4(colour, 1.0);
}
