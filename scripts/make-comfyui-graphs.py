#!/usr/bin/env python3
"""Write fixtures/generators/comfyui-graphs/: one PNG per ComfyUI model
family and workflow shape, saved the way ComfyUI's SaveImage saves
(`nodes.py`: PngInfo.add_text("prompt", json.dumps(api graph)),
add_text("workflow", json.dumps(editor graph)), compress_level=4), the
file named `{filename_prefix}_00001_.png` as SaveImage names it.

Each graph is copied by structure (node classes, inputs, links) from
ComfyUI's documented example workflows (comfyanonymous/ComfyUI_examples:
sd1.5, sdxl refiner, sd3.5, sd3.5 controlnet, flux dev, flux canny/depth/
fill/controlnet, stable cascade (+ controlnet, inpaint), hidream dev and
e1, qwen image edit, omnigen2, sdxl edit (cosxl), hires fix with another
prompt and model, area composition, gligen, model merging, unCLIP 2-pass,
controlnet 2-pass pose, inpaint), with distinctive prompts. The editor
graph (`workflow`) carries the node types the frontend writes (`inputs`
and `outputs` with names and types, `links`, `widgets_values`), built
from the same table of each class's outputs.

`expected.json` says what each graph holds (main prompt, other prompts
and their parts, models and their parts, the images it loads and what
they control, sampler fields): what tests/cli/stamp/comfyui_graphs.rs
checks the record against. `input/` is ComfyUI's input folder for the
images the graphs load (one of them, `missing-reference.png`, is
deliberately absent: a control named, not hashed).

    target/fixture-venv/bin/python scripts/make-comfyui-graphs.py
(the venv of scripts/make-generator-fixtures.py: Pillow 11.0.0).
"""
import json
import pathlib
import random

from PIL import Image
from PIL.PngImagePlugin import PngInfo

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures/generators/comfyui-graphs"

# Output slots of each class: (name, type), as ComfyUI declares them.
OUTPUTS = {
    "CheckpointLoaderSimple": [("MODEL", "MODEL"), ("CLIP", "CLIP"), ("VAE", "VAE")],
    "unCLIPCheckpointLoader": [("MODEL", "MODEL"), ("CLIP", "CLIP"), ("VAE", "VAE"), ("CLIP_VISION", "CLIP_VISION")],
    "UNETLoader": [("MODEL", "MODEL")],
    "DualCLIPLoader": [("CLIP", "CLIP")],
    "TripleCLIPLoader": [("CLIP", "CLIP")],
    "QuadrupleCLIPLoader": [("CLIP", "CLIP")],
    "CLIPLoader": [("CLIP", "CLIP")],
    "VAELoader": [("VAE", "VAE")],
    "LoraLoaderModelOnly": [("MODEL", "MODEL")],
    "ControlNetLoader": [("CONTROL_NET", "CONTROL_NET")],
    "GLIGENLoader": [("GLIGEN", "GLIGEN")],
    "LoadImage": [("IMAGE", "IMAGE"), ("MASK", "MASK")],
    "Canny": [("IMAGE", "IMAGE")],
    "ImageScaleToTotalPixels": [("IMAGE", "IMAGE")],
    "CLIPTextEncode": [("CONDITIONING", "CONDITIONING")],
    "CLIPTextEncodeSDXL": [("CONDITIONING", "CONDITIONING")],
    "CLIPTextEncodeSDXLRefiner": [("CONDITIONING", "CONDITIONING")],
    "CLIPTextEncodeHiDream": [("CONDITIONING", "CONDITIONING")],
    "TextEncodeQwenImageEdit": [("CONDITIONING", "CONDITIONING")],
    "FluxGuidance": [("CONDITIONING", "CONDITIONING")],
    "ConditioningZeroOut": [("CONDITIONING", "CONDITIONING")],
    "ConditioningSetTimestepRange": [("CONDITIONING", "CONDITIONING")],
    "ConditioningCombine": [("CONDITIONING", "CONDITIONING")],
    "ConditioningSetArea": [("CONDITIONING", "CONDITIONING")],
    "GLIGENTextBoxApply": [("CONDITIONING", "CONDITIONING")],
    "ControlNetApply": [("CONDITIONING", "CONDITIONING")],
    "ControlNetApplyAdvanced": [("positive", "CONDITIONING"), ("negative", "CONDITIONING")],
    "ControlNetApplySD3": [("positive", "CONDITIONING"), ("negative", "CONDITIONING")],
    "InstructPixToPixConditioning": [("positive", "CONDITIONING"), ("negative", "CONDITIONING"), ("latent", "LATENT")],
    "InpaintModelConditioning": [("positive", "CONDITIONING"), ("negative", "CONDITIONING"), ("latent", "LATENT")],
    "ReferenceLatent": [("CONDITIONING", "CONDITIONING")],
    "CLIPVisionEncode": [("CLIP_VISION_OUTPUT", "CLIP_VISION_OUTPUT")],
    "unCLIPConditioning": [("CONDITIONING", "CONDITIONING")],
    "StableCascade_EmptyLatentImage": [("stage_c", "LATENT"), ("stage_b", "LATENT")],
    "StableCascade_StageB_Conditioning": [("CONDITIONING", "CONDITIONING")],
    "EmptyLatentImage": [("LATENT", "LATENT")],
    "EmptySD3LatentImage": [("LATENT", "LATENT")],
    "VAEEncode": [("LATENT", "LATENT")],
    "VAEEncodeForInpaint": [("LATENT", "LATENT")],
    "LatentUpscale": [("LATENT", "LATENT")],
    "LatentUpscaleBy": [("LATENT", "LATENT")],
    "KSampler": [("LATENT", "LATENT")],
    "KSamplerAdvanced": [("LATENT", "LATENT")],
    "SamplerCustomAdvanced": [("output", "LATENT"), ("denoised_output", "LATENT")],
    "RandomNoise": [("NOISE", "NOISE")],
    "KSamplerSelect": [("SAMPLER", "SAMPLER")],
    "BasicScheduler": [("SIGMAS", "SIGMAS")],
    "BasicGuider": [("GUIDER", "GUIDER")],
    "DualCFGGuider": [("GUIDER", "GUIDER")],
    "CFGGuider": [("GUIDER", "GUIDER")],
    "ModelSamplingFlux": [("MODEL", "MODEL")],
    "ModelSamplingAuraFlow": [("MODEL", "MODEL")],
    "ModelSamplingSD3": [("MODEL", "MODEL")],
    "ModelMergeSimple": [("MODEL", "MODEL")],
    "DifferentialDiffusion": [("MODEL", "MODEL")],
    "VAEDecode": [("IMAGE", "IMAGE")],
    "SaveImage": [],
    "PromptStylerPlus": [("CONDITIONING", "CONDITIONING")],
    "SuperModelPatcher": [("MODEL", "MODEL")],
}
# Widget inputs holding free text (the rest of the strings are choices).
STRINGS = {"text", "text_g", "text_l", "clip_l", "clip_g", "t5xxl", "llama", "prompt", "filename_prefix", "style_text"}


class Graph:
    def __init__(self):
        self.nodes = {}

    def add(self, cls, **inputs):
        nid = str(len(self.nodes) + 1)
        self.nodes[nid] = {"class_type": cls, "inputs": inputs}
        return nid


def L(nid, slot=0):
    return [nid, slot]


def editor(api):
    """The frontend's graph for the same nodes: typed inputs and outputs,
    links, widget values in order (a seed followed by its
    control_after_generate)."""
    links, nodes = [], []
    out_links = {}
    for nid, node in api.items():
        for key, v in node["inputs"].items():
            if isinstance(v, list):
                lid = len(links) + 1
                origin = api[v[0]]["class_type"]
                ty = OUTPUTS[origin][v[1]][1]
                links.append([lid, int(v[0]), v[1], int(nid), key, ty])
                out_links.setdefault((v[0], v[1]), []).append(lid)
    by_id = {(l[3], l[4]): l for l in links}
    for nid, node in api.items():
        inputs, widgets = [], []
        for key, v in node["inputs"].items():
            if isinstance(v, list):
                link = by_id[(int(nid), key)]
                inputs.append({"name": key, "type": link[5], "link": link[0]})
            else:
                ty = ("STRING" if key in STRINGS else "COMBO") if isinstance(v, str) else (
                    "INT" if isinstance(v, int) else "FLOAT")
                inputs.append({"name": key, "type": ty, "widget": {"name": key}, "link": None})
                widgets.append(v)
                if key in ("seed", "noise_seed"):
                    widgets.append("fixed")
        outputs = [{"name": n, "type": t, "links": out_links.get((nid, i), [])}
                   for i, (n, t) in enumerate(OUTPUTS[node["class_type"]])]
        nodes.append({"id": int(nid), "type": node["class_type"], "pos": [0, 0], "size": [300, 100],
                      "flags": {}, "order": len(nodes), "mode": 0, "inputs": inputs, "outputs": outputs,
                      "properties": {"Node name for S&R": node["class_type"]}, "widgets_values": widgets})
    for l in links:  # the frontend keeps the target slot's index
        l[4] = [i["name"] for i in next(n for n in nodes if n["id"] == l[3])["inputs"]].index(l[4])
    return {"last_node_id": len(nodes), "last_link_id": len(links), "nodes": nodes, "links": links,
            "groups": [], "config": {}, "extra": {"ds": {"scale": 1, "offset": [0, 0]}}, "version": 0.4}


def sd_base(g, ckpt, prompt, negative, w=512, h=512):
    c = g.add("CheckpointLoaderSimple", ckpt_name=ckpt)
    pos = g.add("CLIPTextEncode", text=prompt, clip=L(c, 1))
    neg = g.add("CLIPTextEncode", text=negative, clip=L(c, 1))
    lat = g.add("EmptyLatentImage", width=w, height=h, batch_size=1)
    return c, pos, neg, lat


def ksampler(g, model, pos, neg, lat, seed, steps=20, cfg=8.0, sampler="euler", denoise=1.0):
    return g.add("KSampler", seed=seed, steps=steps, cfg=cfg, sampler_name=sampler, scheduler="normal",
                 denoise=denoise, model=model, positive=pos, negative=neg, latent_image=lat)


def save(g, samples, vae, prefix):
    d = g.add("VAEDecode", samples=L(samples), vae=vae)
    g.add("SaveImage", filename_prefix=prefix, images=L(d))


def flux_custom(g, model, cond, lat, seed, steps=20):
    noise = g.add("RandomNoise", noise_seed=seed)
    guider = g.add("BasicGuider", model=model, conditioning=cond)
    sel = g.add("KSamplerSelect", sampler_name="euler")
    sched = g.add("BasicScheduler", scheduler="simple", steps=steps, denoise=1.0, model=model)
    return g.add("SamplerCustomAdvanced", noise=L(noise), guider=L(guider), sampler=L(sel), sigmas=L(sched),
                 latent_image=lat)


def flux_loaders(g, unet):
    u = g.add("UNETLoader", unet_name=unet, weight_dtype="default")
    clip = g.add("DualCLIPLoader", clip_name1="t5xxl_fp16.safetensors", clip_name2="clip_l.safetensors", type="flux")
    vae = g.add("VAELoader", vae_name="ae.safetensors")
    return u, clip, vae


FAMILIES = {}


def family(fn):
    FAMILIES[fn.__name__.replace("_", "-")] = fn
    return fn


@family
def sd15(g, p):
    c, pos, neg, lat = sd_base(g, "v1-5-pruned-emaonly.safetensors", p("a brass diving bell"), p("blurry, lowres"))
    k = ksampler(g, L(c), L(pos), L(neg), L(lat), 8566257, steps=20, sampler="euler")
    save(g, k, L(c, 2), "sd15")
    return {"models": [["v1-5-pruned-emaonly.safetensors", "base"]], "seed": "8566257", "steps": 20, "sampler": "euler"}


@family
def sdxl_refiner(g, p):
    base = g.add("CheckpointLoaderSimple", ckpt_name="sd_xl_base_1.0.safetensors")
    ref = g.add("CheckpointLoaderSimple", ckpt_name="sd_xl_refiner_1.0.safetensors")
    text = p("evening sunset scenery blue sky nature, glass bottle with a galaxy in it")
    negative = p("text, watermark")
    pos = g.add("CLIPTextEncodeSDXL", width=1024, height=1024, crop_w=0, crop_h=0, target_width=1024,
                target_height=1024, text_g=text, text_l=text, clip=L(base, 1))
    neg = g.add("CLIPTextEncodeSDXL", width=1024, height=1024, crop_w=0, crop_h=0, target_width=1024,
                target_height=1024, text_g=negative, text_l=negative, clip=L(base, 1))
    rpos = g.add("CLIPTextEncodeSDXLRefiner", ascore=6, width=1024, height=1024, text=text, clip=L(ref, 1))
    rneg = g.add("CLIPTextEncodeSDXLRefiner", ascore=6, width=1024, height=1024, text=negative,
                 clip=L(ref, 1))
    lat = g.add("EmptyLatentImage", width=1024, height=1024, batch_size=1)
    k1 = g.add("KSamplerAdvanced", add_noise="enable", noise_seed=721897303308196, steps=25, cfg=8,
               sampler_name="euler", scheduler="normal", start_at_step=0, end_at_step=20,
               return_with_leftover_noise="enable", model=L(base), positive=L(pos), negative=L(neg), latent_image=L(lat))
    k2 = g.add("KSamplerAdvanced", add_noise="disable", noise_seed=0, steps=25, cfg=8, sampler_name="dpmpp_2m",
               scheduler="normal", start_at_step=20, end_at_step=10000, return_with_leftover_noise="disable",
               model=L(ref), positive=L(rpos), negative=L(rneg), latent_image=L(k1))
    save(g, k2, L(ref, 2), "sdxl-refiner")
    return {"models": [["sd_xl_refiner_1.0.safetensors", "base"], ["sd_xl_base_1.0.safetensors", "refiner"]],
            "seed": "0", "steps": 25, "sampler": "dpmpp_2m"}


@family
def sd35(g, p):
    c = g.add("CheckpointLoaderSimple", ckpt_name="sd3.5_large.safetensors")
    clip = g.add("TripleCLIPLoader", clip_name1="clip_l.safetensors", clip_name2="clip_g.safetensors",
                 clip_name3="t5xxl_fp16.safetensors")
    pos = g.add("CLIPTextEncode", text=p("a female character with long, flowing hair that appears to be made of ethereal, swirling patterns"), clip=L(clip))
    neg = g.add("CLIPTextEncode", text="", clip=L(clip))
    zero = g.add("ConditioningZeroOut", conditioning=L(neg))
    r1 = g.add("ConditioningSetTimestepRange", start=0.1, end=1.0, conditioning=L(zero))
    r2 = g.add("ConditioningSetTimestepRange", start=0.0, end=0.1, conditioning=L(neg))
    comb = g.add("ConditioningCombine", conditioning_1=L(r1), conditioning_2=L(r2))
    ms = g.add("ModelSamplingSD3", shift=3.0, model=L(c))
    lat = g.add("EmptySD3LatentImage", width=1024, height=1024, batch_size=1)
    k = ksampler(g, L(ms), L(pos), L(comb), L(lat), 585483408983215, steps=40, cfg=4.5, sampler="dpmpp_2m")
    save(g, k, L(c, 2), "sd35")
    return {"negative": None, "models": [["sd3.5_large.safetensors", "base"]], "steps": 40, "sampler": "dpmpp_2m"}


@family
def sd35_controlnet(g, p):
    c = g.add("CheckpointLoaderSimple", ckpt_name="sd3.5_large_fp8_scaled.safetensors")
    cn = g.add("ControlNetLoader", control_net_name="sd3.5_large_controlnet_canny.safetensors")
    img = g.add("LoadImage", image="house.png", upload="image")
    canny = g.add("Canny", low_threshold=0.4, high_threshold=0.8, image=L(img))
    pos = g.add("CLIPTextEncode", text=p("a cozy cottage at the edge of a pine forest"), clip=L(c, 1))
    neg = g.add("CLIPTextEncode", text="", clip=L(c, 1))
    zero = g.add("ConditioningZeroOut", conditioning=L(neg))
    apply = g.add("ControlNetApplySD3", strength=0.66, start_percent=0.0, end_percent=1.0, positive=L(pos),
                  negative=L(zero), control_net=L(cn), vae=L(c, 2), image=L(canny))
    lat = g.add("EmptySD3LatentImage", width=1024, height=1024, batch_size=1)
    k = ksampler(g, L(c), L(apply, 0), L(apply, 1), L(lat), 417, steps=40, cfg=4.0, sampler="euler")
    save(g, k, L(c, 2), "sd35-controlnet")
    return {"negative": None, "models": [["sd3.5_large_controlnet_canny.safetensors", "controlnet"]],
            "controls": [["edge_map", "house.png", True]]}


@family
def flux_dev(g, p):
    u, clip, vae = flux_loaders(g, "flux1-dev.safetensors")
    pos = g.add("CLIPTextEncode", text=p("cute anime girl with massive fluffy fennec ears holding a lantern"), clip=L(clip))
    fg = g.add("FluxGuidance", guidance=3.5, conditioning=L(pos))
    ms = g.add("ModelSamplingFlux", max_shift=1.15, base_shift=0.5, width=1024, height=1024, model=L(u))
    lat = g.add("EmptySD3LatentImage", width=1024, height=1024, batch_size=1)
    k = flux_custom(g, L(ms), L(fg), L(lat), 972054013131368)
    save(g, k, L(vae), "flux-dev")
    return {"negative": None, "models": [["flux1-dev.safetensors", "base"], ["t5xxl_fp16.safetensors", "text_encoder"]],
            "seed": "972054013131368", "steps": 20, "sampler": "euler"}


def flux_ip2p(g, p, unet, image, prefix, lora=None, canny=False, text="a robot made of brass"):
    u, clip, vae = flux_loaders(g, unet)
    model = L(u)
    if lora:
        model = L(g.add("LoraLoaderModelOnly", lora_name=lora, strength_model=1.0, model=model))
    img = g.add("LoadImage", image=image, upload="image")
    pixels = L(g.add("Canny", low_threshold=0.15, high_threshold=0.3, image=L(img))) if canny else L(img)
    pos = g.add("CLIPTextEncode", text=p(text), clip=L(clip))
    fg = g.add("FluxGuidance", guidance=30.0 if canny else 10.0, conditioning=L(pos))
    neg = g.add("CLIPTextEncode", text="", clip=L(clip))
    ip = g.add("InstructPixToPixConditioning", positive=L(fg), negative=L(neg), vae=L(vae), pixels=pixels)
    k = ksampler(g, model, L(ip, 0), L(ip, 1), L(ip, 2), 256, steps=20, cfg=1.0, sampler="euler")
    save(g, k, L(vae), prefix)


@family
def flux_canny(g, p):
    flux_ip2p(g, p, "flux1-canny-dev.safetensors", "house.png", "flux-canny", canny=True,
              text="a lighthouse keeper's cottage, watercolour")
    return {"negative": None, "models": [["flux1-canny-dev.safetensors", "base"]],
            "controls": [["edge_map", "house.png", True]]}


@family
def flux_depth_lora(g, p):
    flux_ip2p(g, p, "flux1-dev.safetensors", "depth.png", "flux-depth-lora", lora="flux1-depth-dev-lora.safetensors",
              text="a marble statue in a flooded cathedral")
    return {"negative": None, "models": [["flux1-depth-dev-lora.safetensors", "lora"]],
            "controls": [["depth_map", "depth.png", True]]}


@family
def flux_fill(g, p):
    u, clip, vae = flux_loaders(g, "flux1-fill-dev.safetensors")
    dd = g.add("DifferentialDiffusion", model=L(u))
    img = g.add("LoadImage", image="room.png", upload="image")
    pos = g.add("CLIPTextEncode", text=p("a tabby cat asleep on the windowsill"), clip=L(clip))
    fg = g.add("FluxGuidance", guidance=30.0, conditioning=L(pos))
    neg = g.add("CLIPTextEncode", text="", clip=L(clip))
    ip = g.add("InpaintModelConditioning", noise_mask=True, positive=L(fg), negative=L(neg), vae=L(vae),
               pixels=L(img), mask=L(img, 1))
    k = ksampler(g, L(dd), L(ip, 0), L(ip, 1), L(ip, 2), 656821733471329, steps=20, cfg=1.0)
    save(g, k, L(vae), "flux-fill")
    return {"negative": None, "models": [["flux1-fill-dev.safetensors", "base"]],
            "controls": [["source_image", "room.png", True], ["inpaint_mask", "room.png", True]]}


@family
def flux_controlnet(g, p):
    u, clip, vae = flux_loaders(g, "flux1-dev.safetensors")
    cn = g.add("ControlNetLoader", control_net_name="flux-depth-controlnet-v3.safetensors")
    img = g.add("LoadImage", image="depth.png", upload="image")
    pos = g.add("CLIPTextEncode", text=p("a knight in rusted armour kneeling in tall grass"), clip=L(clip))
    neg = g.add("CLIPTextEncode", text=p("bad quality, cartoon"), clip=L(clip))
    fg = g.add("FluxGuidance", guidance=4.0, conditioning=L(pos))
    ap = g.add("ControlNetApplyAdvanced", strength=0.7, start_percent=0.0, end_percent=0.5, positive=L(fg),
               negative=L(neg), control_net=L(cn), image=L(img), vae=L(vae))
    lat = g.add("EmptySD3LatentImage", width=1024, height=1024, batch_size=1)
    k = ksampler(g, L(u), L(ap, 0), L(ap, 1), L(lat), 6, steps=20, cfg=3.5)
    save(g, k, L(vae), "flux-controlnet")
    return {"models": [["flux-depth-controlnet-v3.safetensors", "controlnet"]],
            "controls": [["depth_map", "depth.png", True]]}


def cascade(g, p, prefix, apply_c=None, text="an owl made of autumn leaves"):
    c = g.add("CheckpointLoaderSimple", ckpt_name="stable_cascade_stage_c.safetensors")
    b = g.add("CheckpointLoaderSimple", ckpt_name="stable_cascade_stage_b.safetensors")
    pos = g.add("CLIPTextEncode", text=p(text), clip=L(c, 1))
    neg = g.add("CLIPTextEncode", text="", clip=L(c, 1))
    posc, negc = L(pos), L(neg)
    if apply_c:
        posc, negc = apply_c(c, posc, negc)
    lat = g.add("StableCascade_EmptyLatentImage", width=1024, height=1024, compression=42, batch_size=1)
    kc = ksampler(g, L(c), posc, negc, L(lat, 0), 1018, steps=20, cfg=4.0)
    bc = g.add("StableCascade_StageB_Conditioning", conditioning=L(pos), stage_c=L(kc))
    zero = g.add("ConditioningZeroOut", conditioning=L(neg))
    kb = ksampler(g, L(b), L(bc), L(zero), L(lat, 1), 1019, steps=10, cfg=1.1, sampler="euler_ancestral")
    save(g, kb, L(b, 2), prefix)


@family
def stable_cascade(g, p):
    cascade(g, p, "stable-cascade")
    return {"negative": None, "models": [["stable_cascade_stage_b.safetensors", "base"],
                                         ["stable_cascade_stage_c.safetensors", "refiner"]],
            "seed": "1019", "steps": 10, "sampler": "euler_ancestral"}


@family
def stable_cascade_controlnet(g, p):
    def apply(c, pos, neg):
        cn = g.add("ControlNetLoader", control_net_name="stable_cascade_canny.safetensors")
        img = g.add("LoadImage", image="house.png", upload="image")
        canny = g.add("Canny", low_threshold=0.2, high_threshold=0.5, image=L(img))
        ap = g.add("ControlNetApplyAdvanced", strength=0.8, start_percent=0, end_percent=1, positive=pos,
                   negative=neg, control_net=L(cn), image=L(canny))
        return L(ap, 0), L(ap, 1)
    cascade(g, p, "stable-cascade-controlnet", apply, text="a stone bridge over a misty river")
    return {"negative": None, "models": [["stable_cascade_canny.safetensors", "controlnet"],
                                         ["stable_cascade_stage_c.safetensors", "refiner"]],
            "controls": [["edge_map", "house.png", True]]}


@family
def stable_cascade_inpaint(g, p):
    def apply(c, pos, neg):
        cn = g.add("ControlNetLoader", control_net_name="stable_cascade_inpainting.safetensors")
        img = g.add("LoadImage", image="room.png", upload="image")
        ap = g.add("ControlNetApplyAdvanced", strength=1.0, start_percent=0, end_percent=1, positive=pos,
                   negative=neg, control_net=L(cn), image=L(img))
        return L(ap, 0), L(ap, 1)
    cascade(g, p, "stable-cascade-inpaint", apply, text="a bowl of lemons on the table")
    return {"negative": None, "models": [["stable_cascade_inpainting.safetensors", "controlnet"]],
            "controls": [["source_image", "room.png", True]]}


@family
def hidream_dev(g, p):
    u = g.add("UNETLoader", unet_name="hidream_i1_dev_bf16.safetensors", weight_dtype="default")
    clip = g.add("QuadrupleCLIPLoader", clip_name1="clip_l_hidream.safetensors", clip_name2="clip_g_hidream.safetensors",
                 clip_name3="t5xxl_fp8_e4m3fn_scaled.safetensors", clip_name4="llama_3.1_8b_instruct_fp8_scaled.safetensors")
    vae = g.add("VAELoader", vae_name="ae.safetensors")
    long = p("anime girl with massive fennec ears and a big fluffy fox tail with long wavy blonde hair, in a train")
    short = p("fennec girl, train window")
    pos = g.add("CLIPTextEncodeHiDream", clip_l=short, clip_g=short, t5xxl=long, llama=long, clip=L(clip))
    neg = g.add("CLIPTextEncodeHiDream", clip_l="", clip_g="", t5xxl="", llama="", clip=L(clip))
    ms = g.add("ModelSamplingSD3", shift=6.0, model=L(u))
    lat = g.add("EmptySD3LatentImage", width=1024, height=1024, batch_size=1)
    k = ksampler(g, L(ms), L(pos), L(neg), L(lat), 147, steps=28, cfg=1.0, sampler="lcm")
    save(g, k, L(vae), "hidream-dev")
    return {"negative": None, "secondary": [short], "models": [["hidream_i1_dev_bf16.safetensors", "base"]],
            "steps": 28, "sampler": "lcm"}


@family
def hidream_e1(g, p):
    u = g.add("UNETLoader", unet_name="hidream_e1_full_bf16.safetensors", weight_dtype="default")
    clip = g.add("QuadrupleCLIPLoader", clip_name1="clip_l_hidream.safetensors", clip_name2="clip_g_hidream.safetensors",
                 clip_name3="t5xxl_fp8_e4m3fn_scaled.safetensors", clip_name4="llama_3.1_8b_instruct_fp8_scaled.safetensors")
    vae = g.add("VAELoader", vae_name="ae.safetensors")
    img = g.add("LoadImage", image="portrait.png", upload="image")
    text = p("Editing Instruction: convert the image into a Ghibli style")
    pos = g.add("CLIPTextEncodeHiDream", clip_l=text, clip_g=text, t5xxl=text, llama=text, clip=L(clip))
    blur = p("low resolution, blur")
    neg = g.add("CLIPTextEncodeHiDream", clip_l=blur, clip_g=blur, t5xxl=blur, llama=blur, clip=L(clip))
    ip = g.add("InstructPixToPixConditioning", positive=L(pos), negative=L(neg), vae=L(vae), pixels=L(img))
    k = ksampler(g, L(u), L(ip, 0), L(ip, 1), L(ip, 2), 62, steps=28, cfg=5.0)
    save(g, k, L(vae), "hidream-e1")
    return {"models": [["hidream_e1_full_bf16.safetensors", "base"]], "controls": [["source_image", "portrait.png", True]]}


@family
def qwen_image_edit(g, p):
    u = g.add("UNETLoader", unet_name="qwen_image_edit_fp8_e4m3fn.safetensors", weight_dtype="default")
    clip = g.add("CLIPLoader", clip_name="qwen_2.5_vl_7b_fp8_scaled.safetensors", type="qwen_image", device="default")
    vae = g.add("VAELoader", vae_name="qwen_image_vae.safetensors")
    img = g.add("LoadImage", image="portrait.png", upload="image")
    scaled = g.add("ImageScaleToTotalPixels", upscale_method="lanczos", megapixels=1.0, image=L(img))
    pos = g.add("TextEncodeQwenImageEdit", prompt=p("replace the background with a neon-lit night market"),
                clip=L(clip), vae=L(vae), image=L(scaled))
    neg = g.add("TextEncodeQwenImageEdit", prompt="", clip=L(clip), vae=L(vae), image=L(scaled))
    ms = g.add("ModelSamplingAuraFlow", shift=3.0, model=L(u))
    enc = g.add("VAEEncode", pixels=L(scaled), vae=L(vae))
    k = ksampler(g, L(ms), L(pos), L(neg), L(enc), 976480016588017, steps=20, cfg=2.5)
    save(g, k, L(vae), "qwen-image-edit")
    return {"negative": None, "models": [["qwen_image_edit_fp8_e4m3fn.safetensors", "base"]],
            "controls": [["source_image", "portrait.png", True]]}


@family
def omnigen2(g, p):
    u = g.add("UNETLoader", unet_name="omnigen2_fp16.safetensors", weight_dtype="default")
    clip = g.add("CLIPLoader", clip_name="qwen_2.5_vl_fp16.safetensors", type="omnigen2", device="default")
    vae = g.add("VAELoader", vae_name="ae.safetensors")
    img = g.add("LoadImage", image="portrait.png", upload="image")
    enc = g.add("VAEEncode", pixels=L(img), vae=L(vae))
    pos = g.add("CLIPTextEncode", text=p("Add a fisherman's hat to the woman's head"), clip=L(clip))
    neg = g.add("CLIPTextEncode", text=p("blurry, low quality, deformed hands"), clip=L(clip))
    rp = g.add("ReferenceLatent", conditioning=L(pos), latent=L(enc))
    rn = g.add("ReferenceLatent", conditioning=L(neg), latent=L(enc))
    guider = g.add("DualCFGGuider", cfg_conds=5.0, cfg_cond2_negative=2.0, style="regular", model=L(u),
                   cond1=L(rp), cond2=L(rn), negative=L(neg))
    noise = g.add("RandomNoise", noise_seed=838)
    sel = g.add("KSamplerSelect", sampler_name="euler")
    sched = g.add("BasicScheduler", scheduler="simple", steps=20, denoise=1.0, model=L(u))
    lat = g.add("EmptySD3LatentImage", width=1024, height=1024, batch_size=1)
    k = g.add("SamplerCustomAdvanced", noise=L(noise), guider=L(guider), sampler=L(sel), sigmas=L(sched),
              latent_image=L(lat))
    save(g, k, L(vae), "omnigen2")
    return {"models": [["omnigen2_fp16.safetensors", "base"]], "controls": [["source_image", "portrait.png", True]],
            "seed": "838", "steps": 20}


@family
def sdxl_edit(g, p):
    c = g.add("CheckpointLoaderSimple", ckpt_name="cosxl_edit.safetensors")
    img = g.add("LoadImage", image="portrait.png", upload="image")
    pos = g.add("CLIPTextEncode", text=p("turn her coat into a yellow raincoat"), clip=L(c, 1))
    neg = g.add("CLIPTextEncode", text="", clip=L(c, 1))
    ip = g.add("InstructPixToPixConditioning", positive=L(pos), negative=L(neg), vae=L(c, 2), pixels=L(img))
    guider = g.add("DualCFGGuider", cfg_conds=5.0, cfg_cond2_negative=1.5, model=L(c), cond1=L(ip, 0),
                   cond2=L(ip, 1), negative=L(neg))
    noise = g.add("RandomNoise", noise_seed=43)
    sel = g.add("KSamplerSelect", sampler_name="euler_ancestral")
    sched = g.add("BasicScheduler", scheduler="normal", steps=20, denoise=1.0, model=L(c))
    k = g.add("SamplerCustomAdvanced", noise=L(noise), guider=L(guider), sampler=L(sel), sigmas=L(sched),
              latent_image=L(ip, 2))
    save(g, k, L(c, 2), "sdxl-edit")
    return {"negative": None, "models": [["cosxl_edit.safetensors", "base"]],
            "controls": [["source_image", "portrait.png", True]], "sampler": "euler_ancestral"}


@family
def hires_fix(g, p):
    c, pos, neg, lat = sd_base(g, "v2-1_768-ema-pruned.safetensors",
                               p("a mountain lake at dawn, painted in gouache"), p("bad hands, text"))
    k1 = ksampler(g, L(c), L(pos), L(neg), L(lat), 89848141647836, steps=12, cfg=8)
    save(g, k1, L(c, 2), "first-pass")
    c2 = g.add("CheckpointLoaderSimple", ckpt_name="wd-illusion-fp16.safetensors")
    pos2 = g.add("CLIPTextEncode", text=p("a mountain lake at dawn, anime key visual, crisp line art"), clip=L(c2, 1))
    neg2 = g.add("CLIPTextEncode", text=p("bad hands, text"), clip=L(c2, 1))
    up = g.add("LatentUpscale", upscale_method="nearest-exact", width=1152, height=1152, crop="disabled",
               samples=L(k1))
    k2 = ksampler(g, L(c2), L(pos2), L(neg2), L(up), 1048, steps=14, cfg=7, sampler="dpmpp_2m", denoise=0.5)
    save(g, k2, L(c2, 2), "hires-fix")
    return {"main": 2, "negative": 3, "models": [["wd-illusion-fp16.safetensors", "base"],
                                                            ["v2-1_768-ema-pruned.safetensors", "refiner"]],
            "seed": "1048", "steps": 14, "sampler": "dpmpp_2m"}


@family
def area_composition(g, p):
    c, pos, neg, lat = sd_base(g, "Anything-V3.0.ckpt", p("a plain in four seasons, wide landscape"), p("lowres"),
                               w=1280, h=704)
    cond = L(pos)
    for i, season in enumerate(["night sky with stars", "sunset evening", "bright daylight", "foggy morning"]):
        t = g.add("CLIPTextEncode", text=p(season), clip=L(c, 1))
        a = g.add("ConditioningSetArea", width=320, height=704, x=320 * i, y=0, strength=1.0, conditioning=L(t))
        cond = L(g.add("ConditioningCombine", conditioning_1=cond, conditioning_2=L(a)))
    k = ksampler(g, L(c), cond, L(neg), L(lat), 335608130539327, steps=13, cfg=8.5, sampler="dpmpp_sde")
    save(g, k, L(c, 2), "area-composition")
    return {"regional": 4, "models": [["Anything-V3.0.ckpt", "base"]], "sampler": "dpmpp_sde"}


@family
def gligen(g, p):
    c, pos, neg, lat = sd_base(g, "v1-5-pruned-emaonly.safetensors",
                               p("photograph of a scene with a sun over the sea"), p("watermark"))
    gl = g.add("GLIGENLoader", gligen_name="gligen_sd14_textbox_pruned.safetensors")
    b1 = g.add("GLIGENTextBoxApply", text=p("a setting sun"), width=192, height=192, x=160, y=64,
               conditioning_to=L(pos), clip=L(c, 1), gligen_textbox_model=L(gl))
    b2 = g.add("GLIGENTextBoxApply", text=p("a small sailboat"), width=128, height=128, x=32, y=320,
               conditioning_to=L(b1), clip=L(c, 1), gligen_textbox_model=L(gl))
    k = ksampler(g, L(c), L(b2), L(neg), L(lat), 1234, steps=20, cfg=8)
    save(g, k, L(c, 2), "gligen")
    return {"regional": 2, "models": [["gligen_sd14_textbox_pruned.safetensors", "gligen"]]}


@family
def model_merging(g, p):
    a = g.add("CheckpointLoaderSimple", ckpt_name="v1-5-pruned-emaonly.safetensors")
    b = g.add("CheckpointLoaderSimple", ckpt_name="Anything-V3.0.ckpt")
    m = g.add("ModelMergeSimple", ratio=0.5, model1=L(a), model2=L(b))
    pos = g.add("CLIPTextEncode", text=p("a cat wearing a tiny crown, oil painting"), clip=L(a, 1))
    neg = g.add("CLIPTextEncode", text=p("blurry, jpeg artifacts"), clip=L(a, 1))
    lat = g.add("EmptyLatentImage", width=512, height=512, batch_size=1)
    k = ksampler(g, L(m), L(pos), L(neg), L(lat), 999, steps=20, cfg=7)
    save(g, k, L(a, 2), "model-merging")
    return {"models": [["v1-5-pruned-emaonly.safetensors", "base"], ["Anything-V3.0.ckpt", "merge_source"]]}


@family
def unclip_2pass(g, p):
    u = g.add("unCLIPCheckpointLoader", ckpt_name="sd21-unclip-h.ckpt")
    img = g.add("LoadImage", image="missing-reference.png", upload="image")
    cv = g.add("CLIPVisionEncode", crop="center", clip_vision=L(u, 3), image=L(img))
    pos = g.add("CLIPTextEncode", text=p("a lighthouse in a storm, in the style of the reference"), clip=L(u, 1))
    neg = g.add("CLIPTextEncode", text=p("lowres, bad anatomy"), clip=L(u, 1))
    un = g.add("unCLIPConditioning", strength=1.0, noise_augmentation=0.1, conditioning=L(pos),
               clip_vision_output=L(cv))
    lat = g.add("EmptyLatentImage", width=768, height=768, batch_size=1)
    k1 = ksampler(g, L(u), L(un), L(neg), L(lat), 5, steps=26, cfg=10)
    c2 = g.add("CheckpointLoaderSimple", ckpt_name="v2-1_768-ema-pruned.safetensors")
    up = g.add("LatentUpscaleBy", upscale_method="nearest-exact", scale_by=1.5, samples=L(k1))
    k2 = ksampler(g, L(c2), L(pos), L(neg), L(up), 6, steps=16, cfg=7, denoise=0.55)
    save(g, k2, L(c2, 2), "unclip-2pass")
    return {"models": [["v2-1_768-ema-pruned.safetensors", "base"], ["sd21-unclip-h.ckpt", "refiner"]],
            "controls": [["style_reference", "missing-reference.png", False]], "seed": "6", "steps": 16}


@family
def controlnet_2pass_pose(g, p):
    c, pos, neg, lat = sd_base(g, "AbyssOrangeMix2_hard.safetensors", p("a priestess praying in a ruined temple"),
                               p("lowres, extra fingers"), w=512, h=768)
    cn = g.add("ControlNetLoader", control_net_name="control_v11p_sd15_openpose.pth")
    img = g.add("LoadImage", image="pose.png", upload="image")
    ap = g.add("ControlNetApply", strength=1.0, conditioning=L(pos), control_net=L(cn), image=L(img))
    k1 = ksampler(g, L(c), L(ap), L(neg), L(lat), 1002, steps=20, cfg=7)
    c2 = g.add("CheckpointLoaderSimple", ckpt_name="AOM3A1_orangemixs.safetensors")
    up = g.add("LatentUpscale", upscale_method="nearest-exact", width=768, height=1152, crop="disabled",
               samples=L(k1))
    k2 = ksampler(g, L(c2), L(ap), L(neg), L(up), 1003, steps=14, cfg=7, sampler="dpmpp_2m", denoise=0.5)
    save(g, k2, L(c2, 2), "controlnet-2pass-pose")
    return {"models": [["AOM3A1_orangemixs.safetensors", "base"], ["AbyssOrangeMix2_hard.safetensors", "refiner"],
                       ["control_v11p_sd15_openpose.pth", "controlnet"]],
            "controls": [["pose", "pose.png", True]], "seed": "1003", "sampler": "dpmpp_2m"}


@family
def inpaint(g, p):
    c = g.add("CheckpointLoaderSimple", ckpt_name="512-inpainting-ema.safetensors")
    img = g.add("LoadImage", image="room.png", upload="image")
    pos = g.add("CLIPTextEncode", text=p("a vase of sunflowers on the table"), clip=L(c, 1))
    neg = g.add("CLIPTextEncode", text=p("watermark, text"), clip=L(c, 1))
    enc = g.add("VAEEncodeForInpaint", grow_mask_by=6, pixels=L(img), vae=L(c, 2), mask=L(img, 1))
    k = ksampler(g, L(c), L(pos), L(neg), L(enc), 152545289528694, steps=20, cfg=8, sampler="uni_pc_bh2")
    save(g, k, L(c, 2), "inpaint")
    return {"models": [["512-inpainting-ema.safetensors", "base"]],
            "controls": [["source_image", "room.png", True], ["inpaint_mask", "room.png", True]]}


@family
def custom_node(g, p):
    c, pos, neg, lat = sd_base(g, "v1-5-pruned-emaonly.safetensors", p("a paper boat on a rain puddle"), p("blurry"))
    # A custom encoder the editor's types say outputs CONDITIONING from a
    # STRING (read by type), and a custom model patch nothing says the
    # meaning of (named as not read).
    styled = g.add("PromptStylerPlus", style_text=p("in the style of a 1950s travel poster"), style="poster",
                   conditioning=L(pos))
    patched = g.add("SuperModelPatcher", strength=0.7, model=L(c))
    k = ksampler(g, L(patched), L(styled), L(neg), L(lat), 77, steps=20, cfg=7)
    save(g, k, L(c, 2), "custom-node")
    return {"models": [["v1-5-pruned-emaonly.safetensors", "base"]], "unread": ["SuperModelPatcher"]}


def noise(seed, size=(64, 48), mode="RGB"):
    rnd = random.Random(seed)
    img = Image.new(mode, size)
    n = len(mode)
    img.putdata([tuple(rnd.randrange(256) for _ in range(n)) for _ in range(size[0] * size[1])])
    return img


def main():
    (OUT / "input").mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(["house.png", "depth.png", "pose.png", "portrait.png"]):
        noise(100 + i).save(OUT / "input" / name)
    noise(200, mode="RGBA").save(OUT / "input" / "room.png")  # alpha: LoadImage's mask
    expected = {}
    for i, (name, build) in enumerate(FAMILIES.items()):
        g = Graph()
        texts = []

        def p(text, texts=texts, name=name):
            marked = f"{text} [{name}-{len(texts):02d}]"
            texts.append(marked)
            return marked
        facts = build(g, p)
        prefix = next(n["inputs"]["filename_prefix"] for n in g.nodes.values()
                      if n["class_type"] == "SaveImage" and n["inputs"]["filename_prefix"] != "first-pass")
        file = f"{prefix}_00001_.png"
        info = PngInfo()
        info.add_text("prompt", json.dumps(g.nodes))
        info.add_text("workflow", json.dumps(editor(g.nodes)))
        noise(i).save(OUT / file, pnginfo=info, compress_level=4)
        facts["texts"] = texts
        expected[file] = facts
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
