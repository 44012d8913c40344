#!/usr/bin/python3
# edgevirt-apply: brings the IoT Edge configuration rendered by edgevirt into force.
#
# cloud-init runs this once at first boot, after Moby and IoT Edge are installed, and at every
# later boot. KubeVirt keeps the cloud-init instance ID across restarts, so cloud-init writes its
# files only once; to let an edited Secret take effect on restart, this script reads the current
# user-data from the NoCloud seed disk, writes the files edgevirt manages, fills in secrets from
# the Secrets attached as disks, and runs `iotedge config apply` only when the result changed.
#
# It never prints a secret. It is static: everything device-specific is in /etc/edgevirt/apply.json.
import base64
import glob
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile

SPEC = "/etc/edgevirt/apply.json"
STATE = "/var/lib/edgevirt/applied.sha256"
MOUNTS = "/run/edgevirt"


def log(message):
    print("edgevirt-apply: " + message, flush=True)


def run(*argv):
    subprocess.run(argv, check=True)


def mount(device, target):
    os.makedirs(target, exist_ok=True)
    if not os.path.ismount(target):
        run("mount", "-o", "ro", device, target)
    return target


def seed_files():
    """The write_files of the current user-data on the NoCloud seed, by path."""
    devices = glob.glob("/dev/disk/by-label/cidata") + glob.glob("/dev/disk/by-label/CIDATA")
    if not devices:
        log("no cidata seed disk found; keeping the files on disk")
        return {}
    import yaml  # cloud-init depends on PyYAML, so every cloud image has it

    with tempfile.TemporaryDirectory() as tmp:
        run("mount", "-o", "ro", devices[0], tmp)
        try:
            with open(os.path.join(tmp, "user-data"), encoding="utf-8") as f:
                data = yaml.safe_load(f) or {}
        finally:
            run("umount", tmp)
    return {w["path"]: w for w in data.get("write_files") or [] if "path" in w}


def write(path, content, mode):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path + ".edgevirt-new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(content)
    os.chmod(path + ".edgevirt-new", mode)
    os.replace(path + ".edgevirt-new", path)


def sync_from_seed(spec_paths):
    """Rewrites the managed files from the seed; returns the config template text."""
    seed = seed_files()
    for path in spec_paths:
        entry = seed.get(path)
        if entry is not None and path != "/etc/aziot/config.toml":
            write(path, entry.get("content", ""), int(entry.get("permissions", "0644"), 8))
    entry = seed.get("/etc/aziot/config.toml")
    if entry is not None:
        return entry.get("content", "")
    with open("/etc/aziot/config.toml", encoding="utf-8") as f:
        return f.read()


def secret_value(secret, key):
    path = os.path.join(MOUNTS, secret, key)
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def derive(group_key_b64, registration_id):
    padded = group_key_b64 + "=" * (-len(group_key_b64) % 4)
    key = base64.b64decode(padded)
    digest = hmac.new(key, registration_id.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def toml_string(value):
    # A JSON string of ASCII text is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=True)


def main():
    if shutil.which("iotedge") is None:
        log("IoT Edge is not installed yet; the first-boot commands apply the configuration")
        return 0
    with open(SPEC, encoding="utf-8") as f:
        spec = json.load(f)
    template = sync_from_seed(spec["managedFiles"])
    with open(SPEC, encoding="utf-8") as f:
        spec = json.load(f)

    for volume in spec["secretVolumes"]:
        device = "/dev/disk/by-id/virtio-" + volume["serial"]
        mount(device, os.path.join(MOUNTS, volume["secret"]))
    config = template
    for sub in spec["substitutions"]:
        value = secret_value(sub["secret"], sub["key"])
        if sub.get("deriveFor"):
            value = derive(value, sub["deriveFor"])
        config = config.replace(toml_string(sub["token"]), toml_string(value))
    for item in spec["files"]:
        if item.get("secret"):
            write(item["path"], secret_value(item["secret"], item["key"]) + "\n", 0o600)
        shutil.chown(item["path"], item["owner"], item["owner"])
        os.chmod(item["path"], int(item["mode"], 8))

    daemon = ""
    if os.path.exists("/etc/docker/daemon.json"):
        with open("/etc/docker/daemon.json", encoding="utf-8") as f:
            daemon = f.read()
    digest = hashlib.sha256((config + "\0" + daemon).encode()).hexdigest()
    previous = open(STATE).read().strip() if os.path.exists(STATE) else ""
    write("/etc/aziot/config.toml", config, 0o600)
    if digest == previous and "--first-boot" not in sys.argv:
        log("configuration unchanged")
        return 0
    if previous:
        run("systemctl", "restart", "docker")
    run("iotedge", "config", "apply", "-c", "/etc/aziot/config.toml")
    write(STATE, digest + "\n", 0o600)
    log("configuration applied")
    return 0


if __name__ == "__main__":
    sys.exit(main())
