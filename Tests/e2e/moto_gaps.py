#!/usr/bin/env python3
"""Shows moto's answers to the calls moto_server.py patches, raw (what the SDK receives).

    python3 moto_server.py --no-patches --port-file /tmp/port &   # moto 5.2.5 as it is
    python3 moto_gaps.py "$(cat /tmp/port)"
    python3 moto_server.py --port-file /tmp/port &                # with the workarounds
    python3 moto_gaps.py "$(cat /tmp/port)"
    python3 moto_server.py --readiness --port-file /tmp/port &    # and 11-13 (Tests/e2e/run.sh)
    python3 moto_gaps.py "$(cat /tmp/port)"

Without the patches (moto 5.2.5): InstanceCreateTime and ReplicationTaskCreationDate are ISO
strings; a replication instance created without a subnet group has no ReplicationSubnetGroup;
subnet groups answer vpc-12345/subnet-12345 and their tags are not listed by ARN;
AddTagsToResource is HTTP 500; a task stays "creating"; RotateSecret with a
ScheduleExpression reads back as {"AutomaticallyAfterDays": 0} with rotation disabled;
CancelRotateSecret on a secret without a Lambda is refused. Without --readiness: a running task
has no FullLoadFinishDate (TablesLoaded 1 whatever it selects), DescribeTableStatistics is HTTP
500, and a rate(400 days) rotation has no NextRotationDate.
"""
import json
import sys
import urllib.error
import urllib.request

port = sys.argv[1]
def call(service, target, body, version="1.1"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": f"application/x-amz-json-{version}", "X-Amz-Target": target,
                 "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20261204/eu-west-2/{service}/aws4_request, SignedHeaders=host, Signature=x"})
    try:
        with urllib.request.urlopen(req) as r: return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e: return e.code, e.read()[:200]
D="AmazonDMSv20160101."
print("CreateReplicationSubnetGroup", call("dms", D+"CreateReplicationSubnetGroup", {"ReplicationSubnetGroupIdentifier":"g","ReplicationSubnetGroupDescription":"d","SubnetIds":["subnet-aaa","subnet-bbb"],"Tags":[{"Key":"K","Value":"V"}]}))
s,ri = call("dms", D+"CreateReplicationInstance", {"ReplicationInstanceIdentifier":"ri","ReplicationInstanceClass":"dms.r5.large"})
print("CreateReplicationInstance (no subnet group): InstanceCreateTime =", repr(ri["ReplicationInstance"]["InstanceCreateTime"]), "ReplicationSubnetGroup =", ri["ReplicationInstance"].get("ReplicationSubnetGroup"))
s,ri2 = call("dms", D+"CreateReplicationInstance", {"ReplicationInstanceIdentifier":"ri2","ReplicationInstanceClass":"dms.r5.large","ReplicationSubnetGroupIdentifier":"g"})
print("CreateReplicationInstance (subnet group g): ReplicationSubnetGroup =", ri2["ReplicationInstance"].get("ReplicationSubnetGroup"))
print("ListTagsForResource subgrp ARN", call("dms", D+"ListTagsForResource", {"ResourceArn":"arn:aws:dms:eu-west-2:123456789012:subgrp:g"}))
print("AddTagsToResource", call("dms", D+"AddTagsToResource", {"ResourceArn":ri["ReplicationInstance"]["ReplicationInstanceArn"],"Tags":[{"Key":"a","Value":"b"}]}))
s,t = call("dms", D+"CreateReplicationTask", {"ReplicationTaskIdentifier":"t","SourceEndpointArn":"x","TargetEndpointArn":"y","ReplicationInstanceArn":ri["ReplicationInstance"]["ReplicationInstanceArn"],"MigrationType":"full-load-and-cdc","TableMappings":json.dumps({"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"include-public","rule-action":"include","object-locator":{"schema-name":"public","table-name":"%"}}]})})
print("CreateReplicationTask: Status", t["ReplicationTask"]["Status"], "ReplicationTaskCreationDate", repr(t["ReplicationTask"]["ReplicationTaskCreationDate"]))
for i in range(3):
    s,d = call("dms", D+"DescribeReplicationTasks", {})
    print("  DescribeReplicationTasks #%d: Status" % (i+1), d["ReplicationTasks"][0]["Status"])
S="secretsmanager."
s,sec = call("secretsmanager", S+"CreateSecret", {"Name":"rds!cluster-x","SecretString":"{}"})
print("RotateSecret(ScheduleExpression)", call("secretsmanager", S+"RotateSecret", {"SecretId":"rds!cluster-x","RotationRules":{"ScheduleExpression":"rate(400 days)"},"RotateImmediately":False})[0])
s,d = call("secretsmanager", S+"DescribeSecret", {"SecretId":"rds!cluster-x"})
print("  DescribeSecret: RotationEnabled", d.get("RotationEnabled"), "RotationRules", d.get("RotationRules"), "NextRotationDate", d.get("NextRotationDate"))
print("CancelRotateSecret", call("secretsmanager", S+"CancelRotateSecret", {"SecretId":"rds!cluster-x"}))
print("StartReplicationTask", call("dms", D+"StartReplicationTask", {"ReplicationTaskArn":t["ReplicationTask"]["ReplicationTaskArn"],"StartReplicationTaskType":"start-replication"})[0])
s,d = call("dms", D+"DescribeReplicationTasks", {})
print("  DescribeReplicationTasks: ReplicationTaskStats", d["ReplicationTasks"][0].get("ReplicationTaskStats"))
print("DescribeTableStatistics", call("dms", D+"DescribeTableStatistics", {"ReplicationTaskArn":t["ReplicationTask"]["ReplicationTaskArn"]}))
