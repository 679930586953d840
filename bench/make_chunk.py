"""Prints the JSON of a 100 ms stereo 44.1 kHz audio chunk up to its sequence number, for ingest.lua to complete."""
import base64
import math
import struct

FRAMES = 4410
samples = b"".join(struct.pack("<f", math.sin(i * 0.0627) * 0.3) for i in range(FRAMES * 2))
print('{"data":"%s","sampleRate":44100,"channels":2,"timestamp":1795559366606,"sequenceNumber":'
      % base64.b64encode(samples).decode(), end="")
