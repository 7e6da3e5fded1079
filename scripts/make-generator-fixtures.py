#!/usr/bin/env python3
"""Write fixtures/generators/: small images carrying generator metadata
exactly as each generator writes it — the same Pillow (and piexif) calls
with the same arguments, copied from their save paths:

- ComfyUI `nodes.py` SaveImage: PngInfo.add_text("prompt", json.dumps(api
  graph)), add_text("workflow", json.dumps(editor graph)), compress_level=4.
- ComfyUI SaveAnimatedWEBP: the first frame's getexif() with 0x0110 =
  "prompt:" + json, 0x010F (and down) = "workflow:" + json, saved with
  save_all=True, duration=int(1000/fps), exif=metadata.
- ComfyUI SaveAnimatedPNG: PngInfo.add(b"comf", key + NUL + json,
  after_idat=True) for the prompt and each extra key, save_all=True.
- AUTOMATIC1111 `modules/images.py` save_image_with_geninfo: PNG
  add_text("parameters", geninfo); JPEG saved, then piexif.insert of
  {"Exif": {UserComment: piexif.helper.UserComment.dump(geninfo,
  encoding="unicode")}}.
- InvokeAI `image_files_disk.py`: add_text("invokeai_metadata", json),
  add_text("invokeai_workflow", json), add_text("invokeai_graph", json).
- Fooocus `modules/private_logger.py` + `meta_parser.py`: PNG
  add_text("parameters", json) and add_text("fooocus_scheme", "fooocus");
  JPEG save(quality=95, optimize=True, progressive=True, exif=Image.Exif()
  with 0x9286 UserComment, 0x0131 Software, 0x927C MakerNote).

Run with the venv of Pillow 11 and piexif 1.1.3 (PyPI):
    python3 -m venv target/fixture-venv
    target/fixture-venv/bin/pip install Pillow==11.0.0 piexif==1.1.3
    target/fixture-venv/bin/python scripts/make-generator-fixtures.py
Every prompt holds the marker "lighthouse-7f3a" (and negatives
"smudge-91c2"), which tests search for in the signed output.
"""
import json
import os
import pathlib
import random
import subprocess
import tempfile

import piexif
import piexif.helper
from PIL import Image
from PIL.PngImagePlugin import PngInfo

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures/generators"
PROMPT = "a lighthouse-7f3a at dusk, long lens, film grain"
NEGATIVE = "smudge-91c2, text, watermark"


def noise(seed):
    rnd = random.Random(seed)
    img = Image.new("RGB", (96, 64))
    img.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
                 for _ in range(96 * 64)])
    return img


def comfyui_graphs():
    """The API graph (`prompt`) and the editor graph (`workflow`)."""
    prompt = {
        "3": {"class_type": "KSampler", "inputs": {
            "seed": 156680208700286, "steps": 20, "cfg": 8.0, "sampler_name": "euler",
            "scheduler": "normal", "denoise": 1.0, "model": ["10", 0],
            "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
        "4": {"class_type": "CheckpointLoaderSimple",
              "inputs": {"ckpt_name": "v1-5-pruned-emaonly.safetensors"}},
        "5": {"class_type": "EmptyLatentImage",
              "inputs": {"width": 96, "height": 64, "batch_size": 1}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": PROMPT, "clip": ["10", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": NEGATIVE, "clip": ["10", 1]}},
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
        "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
        "10": {"class_type": "LoraLoader", "inputs": {
            "lora_name": "film_grain.safetensors", "strength_model": 0.8, "strength_clip": 0.8,
            "model": ["4", 0], "clip": ["4", 1]}},
    }
    workflow = {"last_node_id": 10, "nodes": [
        {"id": 6, "type": "CLIPTextEncode", "widgets_values": [PROMPT]},
        {"id": 7, "type": "CLIPTextEncode", "widgets_values": [NEGATIVE]}], "version": 0.4}
    return prompt, workflow


def comfyui():
    prompt, workflow = comfyui_graphs()
    metadata = PngInfo()
    metadata.add_text("prompt", json.dumps(prompt))
    for x, v in {"workflow": workflow}.items():
        metadata.add_text(x, json.dumps(v))
    noise(1).save(OUT / "comfyui.png", pnginfo=metadata, compress_level=4)


def comfyui_webp():
    """ComfyUI `SaveAnimatedWEBP`: EXIF 0x0110 (Model) = "prompt:" + JSON,
    then one tag per extra_pnginfo key counting down from 0x010F (Make),
    "workflow:" + JSON; Pillow's animated WebP writer, 6 frames at 6 fps."""
    prompt, workflow = wan_graphs()
    frames = [noise(20 + i) for i in range(6)]
    metadata = frames[0].getexif()
    metadata[0x0110] = "prompt:{}".format(json.dumps(prompt))
    inital_exif = 0x010f
    for x in {"workflow": workflow}:
        metadata[inital_exif] = "{}:{}".format(x, json.dumps({"workflow": workflow}[x]))
        inital_exif -= 1
    frames[0].save(OUT / "comfyui-animated.webp", save_all=True, duration=int(1000.0 / 6),
                   append_images=frames[1:], exif=metadata, lossless=False, quality=80, method=4)


def comfyui_apng():
    """ComfyUI `SaveAnimatedPNG`: private `comf` chunks after the image data,
    `key NUL json` for the prompt and each extra key; 4 frames at 4 fps."""
    prompt, workflow = wan_graphs()
    frames = [noise(40 + i) for i in range(4)]
    metadata = PngInfo()
    metadata.add(b"comf", "prompt".encode("latin-1", "strict") + b"\0"
                 + json.dumps(prompt).encode("latin-1", "strict"), after_idat=True)
    for x, v in {"workflow": workflow}.items():
        metadata.add(b"comf", x.encode("latin-1", "strict") + b"\0"
                     + json.dumps(v).encode("latin-1", "strict"), after_idat=True)
    frames[0].save(OUT / "comfyui-animated.png", pnginfo=metadata, compress_level=4,
                   save_all=True, duration=int(1000.0 / 4), append_images=frames[1:])


def wan_graphs():
    """A Wan 2.1 text-to-video API graph as ComfyUI's example workflow
    builds it: UNETLoader -> ModelSamplingSD3 -> KSampler, CLIPLoader (umt5)
    -> CLIPTextEncode x2, EmptyHunyuanLatentVideo, VAEDecode, then the
    saving node (SaveWEBM here; the same graph feeds every clip fixture)."""
    prompt = {
        "3": {"class_type": "KSampler", "inputs": {
            "seed": 82628696717253, "steps": 30, "cfg": 6.0, "sampler_name": "uni_pc",
            "scheduler": "simple", "denoise": 1.0, "model": ["48", 0],
            "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["40", 0]}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": PROMPT, "clip": ["38", 0]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": NEGATIVE, "clip": ["38", 0]}},
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["39", 0]}},
        "37": {"class_type": "UNETLoader", "inputs": {
            "unet_name": "wan2.1_t2v_1.3B_fp16.safetensors", "weight_dtype": "default"}},
        "38": {"class_type": "CLIPLoader", "inputs": {
            "clip_name": "umt5_xxl_fp8_e4m3fn_scaled.safetensors", "type": "wan", "device": "default"}},
        "39": {"class_type": "VAELoader", "inputs": {"vae_name": "wan_2.1_vae.safetensors"}},
        "40": {"class_type": "EmptyHunyuanLatentVideo", "inputs": {
            "width": 64, "height": 48, "length": 17, "batch_size": 1}},
        "47": {"class_type": "SaveWEBM", "inputs": {
            "filename_prefix": "ComfyUI", "codec": "vp9", "fps": 16.0, "crf": 32.0, "images": ["8", 0]}},
        "48": {"class_type": "ModelSamplingSD3", "inputs": {"shift": 8.0, "model": ["37", 0]}},
    }
    workflow = {"last_node_id": 48, "nodes": [
        {"id": 6, "type": "CLIPTextEncode", "widgets_values": [PROMPT]},
        {"id": 7, "type": "CLIPTextEncode", "widgets_values": [NEGATIVE]},
        {"id": 37, "type": "UNETLoader", "widgets_values": ["wan2.1_t2v_1.3B_fp16.safetensors", "default"]}],
        "version": 0.4}
    return prompt, workflow


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


# 17 frames of 64x48 at 16 fps, as a Wan sampler's latent of length 17 decodes.
VIDEO_IN = ["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=16", "-frames:v", "17"]
AUDIO_IN = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "1"]


def comfyui_savevideo():
    """ComfyUI core `SaveVideo` (comfy_api VideoFromComponents.save_to): PyAV
    av.open(path, "w", options={"movflags": "use_metadata_tags"}), then
    output.metadata[key] = json.dumps(value) for `prompt` and each
    extra_pnginfo key; h264 yuv420p. The ffmpeg CLI's -movflags
    use_metadata_tags -metadata key=... writes the same mdta keys."""
    prompt, workflow = wan_graphs()
    ffmpeg(*VIDEO_IN, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "use_metadata_tags",
           "-metadata", "prompt=" + json.dumps(prompt),
           "-metadata", "workflow=" + json.dumps(workflow), str(OUT / "comfyui-savevideo.mp4"))


def comfyui_savewebm():
    """ComfyUI `SaveWEBM`: PyAV container.metadata[key] = json.dumps(value)
    (Matroska tags), vp9 at the node's crf."""
    prompt, workflow = wan_graphs()
    ffmpeg(*VIDEO_IN, "-c:v", "libvpx-vp9", "-crf", "32", "-b:v", "0", "-pix_fmt", "yuv420p",
           "-metadata", "prompt=" + json.dumps(prompt),
           "-metadata", "workflow=" + json.dumps(workflow), str(OUT / "comfyui-savewebm.webm"))


def comfyui_audio():
    """ComfyUI `SaveAudio` (FLAC), `SaveAudioMP3` and `SaveAudioOpus`: PyAV
    output metadata `prompt` and each extra key, json.dumps'd; libavformat
    writes them as FLAC Vorbis comments, ID3v2.4 TXXX frames, Opus tags."""
    prompt, workflow = wan_graphs()
    for name, codec in [("comfyui-audio.mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]),
                        ("comfyui-audio.flac", ["-c:a", "flac"]),
                        ("comfyui-audio.opus", ["-c:a", "libopus", "-b:a", "32k"])]:
        ffmpeg(*AUDIO_IN, *codec, "-metadata", "prompt=" + json.dumps(prompt),
               "-metadata", "workflow=" + json.dumps(workflow), str(OUT / name))


def vhs_videocombine(name, codec_args):
    """VideoHelperSuite `VHS_VideoCombine`: json.dumps({"prompt": json.dumps(api
    graph), "workflow": editor graph}) with \\ ; # = and newline escaped,
    written as `comment=` into an FFMETADATA file given to ffmpeg as the
    first input (so the MP4/MOV carries a comment item), then
    -metadata creation_time=now."""
    prompt, workflow = wan_graphs()
    video_metadata = {"prompt": json.dumps(prompt), "workflow": workflow}
    metadata = json.dumps(video_metadata)
    metadata = metadata.replace("\\", "\\\\").replace(";", "\\;").replace("#", "\\#") \
        .replace("=", "\\=").replace("\n", "\\\n")
    with tempfile.TemporaryDirectory() as tmp:
        metadata_path = os.path.join(tmp, "metadata.txt")
        with open(metadata_path, "w") as f:
            f.write(";FFMETADATA1\n")
            f.write("comment=" + metadata)
        ffmpeg("-i", metadata_path, *VIDEO_IN, *codec_args,
               "-metadata", "creation_time=2026-12-07T00:00:00Z", str(OUT / name))


A1111 = (f"{PROMPT}\nNegative prompt: {NEGATIVE}\n"
         "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 3141592653, "
         "Size: 96x64, Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Version: v1.10.1")


def a1111():
    pnginfo_data = PngInfo()
    for k, v in {"parameters": A1111}.items():
        pnginfo_data.add_text(k, str(v))
    noise(2).save(OUT / "a1111.png", format="PNG", quality=80, pnginfo=pnginfo_data)
    jpg = OUT / "a1111.jpg"
    noise(3).save(jpg, format="JPEG", quality=80, lossless=False)
    exif_bytes = piexif.dump({"Exif": {
        piexif.ExifIFD.UserComment: piexif.helper.UserComment.dump(A1111 or "", encoding="unicode")}})
    piexif.insert(exif_bytes, str(jpg))


def invokeai():
    metadata = json.dumps({
        "generation_mode": "txt2img", "positive_prompt": PROMPT, "negative_prompt": NEGATIVE,
        "width": 96, "height": 64, "seed": 2718281828, "rand_device": "cpu", "cfg_scale": 7.5,
        "steps": 28, "scheduler": "dpmpp_2m", "model": {"key": "9a1b", "hash": "blake3:00",
        "name": "Juggernaut XL v9", "base": "sdxl", "type": "main"},
        "loras": [{"model": {"key": "c3", "name": "film-grain-xl", "base": "sdxl"}, "weight": 0.75}],
        "app_version": "5.4.2"})
    workflow = json.dumps({"name": "", "nodes": [{"id": "p", "data": {"inputs": {"prompt": {"value": PROMPT}}}}]})
    graph = json.dumps({"id": "g", "nodes": {"p": {"type": "compel", "prompt": PROMPT}}})
    pnginfo = PngInfo()
    pnginfo.add_text("invokeai_metadata", metadata)
    pnginfo.add_text("invokeai_workflow", workflow)
    pnginfo.add_text("invokeai_graph", graph)
    noise(4).save(OUT / "invokeai.png", "PNG", pnginfo=pnginfo, compress_level=1)


def fooocus():
    parameters = json.dumps(dict(sorted({
        "adm_guidance": "(1.5, 0.8, 0.3)", "base_model": "juggernautXL_v8Rundiffusion",
        "base_model_hash": "aeb7e9e689", "full_negative_prompt": [NEGATIVE],
        "full_prompt": [PROMPT], "guidance_scale": 4, "loras": [["sd_xl_offset_example-lora_1.0", 0.1, "4852686128"]],
        "negative_prompt": NEGATIVE, "performance": "Speed", "prompt": PROMPT,
        "resolution": "(96, 64)", "sampler": "dpmpp_2m_sde_gpu", "scheduler": "karras",
        "seed": "1618033988", "sharpness": 2, "steps": 30, "styles": "['Fooocus V2']",
        "vae": "Default (model)", "version": "Fooocus v2.5.5"}.items())))
    pnginfo = PngInfo()
    pnginfo.add_text("parameters", parameters)
    pnginfo.add_text("fooocus_scheme", "fooocus")
    noise(5).save(OUT / "fooocus.png", pnginfo=pnginfo)
    exif = Image.Exif()
    exif[0x9286] = parameters
    exif[0x0131] = "Fooocus v2.5.5"
    exif[0x927C] = "fooocus"
    noise(6).save(OUT / "fooocus.jpg", quality=95, optimize=True, progressive=True, exif=exif)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    comfyui()
    comfyui_webp()
    comfyui_apng()
    a1111()
    invokeai()
    fooocus()
    comfyui_savevideo()
    comfyui_savewebm()
    comfyui_audio()
    vhs_videocombine("vhs.mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "19"])
    vhs_videocombine("vhs-prores.mov", ["-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le"])
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir() if p.suffix != ".md")))
