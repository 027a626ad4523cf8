"""Drives the embedded server with pymongo (a second real driver) and prints what it saw as JSON.

Usage: pymongo_check.py HOST PORT USER PASSWORD
"""
import json
import sys
from urllib.parse import quote_plus

from pymongo import ASCENDING, MongoClient
from pymongo.errors import OperationFailure

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = {}


def uri(u, p, extra=""):
    return "mongodb://%s:%s@%s:%d/app?authSource=admin%s" % (quote_plus(u), quote_plus(p), host, port, extra)


for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-1"):
    client = MongoClient(uri(user, password, "&authMechanism=" + mechanism), serverSelectionTimeoutMS=5000)
    lots = client.app.py_lots
    lots.delete_many({})
    lots.insert_many([{"_id": i, "grams": i * 500, "name": "香菇 %d" % i} for i in range(250)])
    lots.create_index([("grams", ASCENDING)])
    lots.update_one({"_id": 7}, {"$inc": {"grams": -100}})
    out[mechanism] = {
        "count": lots.count_documents({}),
        "over": lots.count_documents({"grams": {"$gte": 100000}}),
        "first": lots.find_one({"_id": 7}),
        "sorted": [d["_id"] for d in lots.find({}, sort=[("grams", -1)], limit=3)],
        "all": len(list(lots.find({}).batch_size(40))),
        "group": list(lots.aggregate([{"$group": {"_id": None, "g": {"$sum": "$grams"}}}])),
    }
    client.close()

anonymous = MongoClient("mongodb://%s:%d/" % (host, port), serverSelectionTimeoutMS=5000)
out["ping"] = anonymous.admin.command("ping")["ok"]
try:
    anonymous.app.py_lots.find_one({})
    out["anonymous"] = "read"
except OperationFailure as e:
    out["anonymous"] = e.code
anonymous.close()

wrong = MongoClient(uri(user, "not-the-password"), serverSelectionTimeoutMS=5000)
try:
    wrong.app.py_lots.find_one({})
    out["wrong"] = "read"
except OperationFailure as e:
    out["wrong"] = e.code
wrong.close()

print(json.dumps(out, ensure_ascii=False))
