#!/usr/bin/env python3
"""A Modality Performed Procedure Step SCP (and Verification SCP) for DICOMNetwork's tests.

Run with the venv that tools/setup makes:
  /opt/needlelog-python/bin/python mpps_scp.py --port P --ae-title T --log FILE [--behaviour B]
Listens on 127.0.0.1:P, accepts any calling AE, prints "ready" once listening, and appends
one JSON line per N-CREATE / N-SET to FILE:
  {"message": "N-CREATE"|"N-SET", "instance": UID, "status": int, "dataset": {keyword: value}}
Behaviours: ok (default); reject (every association: permanent, called AE not recognised);
abort-on-create (A-ABORT on N-CREATE); silent (never answers an N-CREATE); fail-set (N-SET -> 0x0110).
"""
import argparse, json, os, threading, time

from pydicom.dataset import Dataset
from pydicom.uid import generate_uid
from pynetdicom import AE, evt
from pynetdicom.sop_class import ModalityPerformedProcedureStep, Verification

instances = {}  # SOP Instance UID -> Dataset, as created and then set
lock = threading.Lock()


def plain(element):
    """An element's value as JSON: sequences as lists of dicts, PN and other text as str."""
    if element.VR == "SQ":
        return [flatten(item) for item in element.value]
    if element.VM > 1:
        return [plain_value(v) for v in element.value]
    return plain_value(element.value)


def plain_value(value):
    if value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def flatten(dataset):
    return {element.keyword or str(element.tag): plain(element) for element in dataset}


def answer(status, comment=None):
    """A status (and error comment) for pynetdicom to put in the response's command set."""
    result = Dataset()
    result.Status = status
    if comment:
        result.ErrorComment = comment
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ae-title", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--behaviour", default="ok", choices=["ok", "reject", "abort-on-create", "silent", "fail-set"])
    args = parser.parse_args()

    def log(message, instance, status, dataset):
        line = {"message": message, "instance": instance, "status": status, "dataset": flatten(dataset or Dataset())}
        with lock, open(args.log, "a", encoding="utf-8") as file:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")

    def on_requested(event):
        if args.behaviour == "reject":  # result 1 permanent, source 1 service user, reason 7
            event.assoc.acse.send_reject(0x01, 0x01, 0x07)
            event.assoc.kill()  # as pynetdicom's own rejection: waits until the A-ASSOCIATE-RJ is out

    def on_create(event):
        attributes = event.attribute_list
        uid = event.request.AffectedSOPInstanceUID or generate_uid()
        if args.behaviour == "abort-on-create":
            log("N-CREATE", uid, None, attributes)
            event.assoc.abort()  # queued A-ABORT; pynetdicom then sends no N-CREATE-RSP
            return 0x0110, None
        if args.behaviour == "silent":
            log("N-CREATE", uid, None, attributes)
            while not (event.assoc.acse.is_aborted() or event.assoc.acse.is_release_requested()):
                time.sleep(0.05)
            event.assoc.kill()  # the peer gave up: drop the link without any answer
            return 0x0110, None
        with lock:
            status = 0x0111 if uid in instances else 0x0000  # duplicate SOP instance
            if status == 0:
                instances[uid] = attributes
        log("N-CREATE", uid, status, attributes)
        if status:
            return answer(status, "Duplicate SOP instance"), None
        created = Dataset()
        created.update(attributes)
        if event.request.AffectedSOPInstanceUID is None:
            created.AffectedSOPInstanceUID = uid  # pynetdicom moves it into the response's command
        return 0x0000, created

    def on_set(event):
        uid, changes = event.request.RequestedSOPInstanceUID, event.modification_list
        with lock:
            instance = instances.get(uid)
            state = instance.get("PerformedProcedureStepStatus", "") if instance is not None else ""
            if args.behaviour == "fail-set":
                result = answer(0x0110, "fail-set behaviour")
            elif instance is None:
                result = answer(0x0112, "No such SOP instance")
            elif state in ("COMPLETED", "DISCONTINUED"):
                result = answer(0x0110, f"Performed Procedure Step is already {state}")
            else:
                instance.update(changes)
                result = answer(0x0000)
        log("N-SET", uid, result.Status, changes)
        return result, None

    ae = AE(ae_title=args.ae_title)
    ae.add_supported_context(ModalityPerformedProcedureStep)
    ae.add_supported_context(Verification)
    handlers = [(evt.EVT_REQUESTED, on_requested), (evt.EVT_N_CREATE, on_create), (evt.EVT_N_SET, on_set)]
    ae.start_server(("127.0.0.1", args.port), block=False, evt_handlers=handlers)
    print("ready", flush=True)
    try:
        threading.Event().wait()  # until killed
    except KeyboardInterrupt:
        os._exit(0)  # pynetdicom's association threads would keep the process alive


if __name__ == "__main__":
    main()
