// ONNX Runtime for node, with its telemetry off. Since 1.29, ONNX Runtime's
// Linux and macOS builds record usage events (graph and model file names, session
// and error counts, system metrics, a device id kept in ~/.cache/Microsoft)
// and upload them to Microsoft. No image is in them, but a tool whose promise
// is that nothing leaves the machine must not send them. ORT_DISABLE_TELEMETRY
// is read once, when the library starts: it must be set before the import, so
// every node file takes ONNX Runtime from here, never from the package.
process.env.ORT_DISABLE_TELEMETRY = '1';
const { default: ort } = await import('onnxruntime-node');
export default ort;
