#version 300 es
// A triangle that covers the whole target; the fragment shader works from
// gl_FragCoord, one fragment per image pixel.
void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
