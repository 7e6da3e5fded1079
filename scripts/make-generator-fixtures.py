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
import pathlib
import random

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
    prompt, workflow = comfyui_graphs()
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
    prompt, workflow = comfyui_graphs()
    frames = [noise(40 + i) for i in range(4)]
    metadata = PngInfo()
    metadata.add(b"comf", "prompt".encode("latin-1", "strict") + b"\0"
                 + json.dumps(prompt).encode("latin-1", "strict"), after_idat=True)
    for x, v in {"workflow": workflow}.items():
        metadata.add(b"comf", x.encode("latin-1", "strict") + b"\0"
                     + json.dumps(v).encode("latin-1", "strict"), after_idat=True)
    frames[0].save(OUT / "comfyui-animated.png", pnginfo=metadata, compress_level=4,
                   save_all=True, duration=int(1000.0 / 4), append_images=frames[1:])


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
    print("wrote", ", ".join(sorted(p.name for p in OUT.iterdir() if p.suffix != ".md")))
