# Run by ./cypclass bench kdtree with the machine's Python, when scikit-learn is installed
# (Debian: apt-get install python3-sklearn):
#   python3 sklearn_kdtree.py DATA.npy QUERIES.npy LEAF_SIZE TRIALS QUERY_TRIALS
# Prints one line: build seconds of each trial, query milliseconds per point of each query trial,
# nearest indices and their distances (repr: the shortest text that reads back as the same float64).
import sys
import time

import numpy as np
from sklearn.neighbors import KDTree

data = np.load(sys.argv[1])
queries = np.load(sys.argv[2])
leaf_size = int(sys.argv[3])
trials = int(sys.argv[4])
query_trials = int(sys.argv[5])
builds = []
tree = None
for _ in range(trials):
    start = time.perf_counter()
    tree = KDTree(data, leaf_size=leaf_size, metric="euclidean")
    builds.append(time.perf_counter() - start)
query_times = []
nearest = None
distances = None
for _ in range(query_trials):
    start = time.perf_counter()
    distances, nearest = tree.query(queries, k=1)
    query_times.append((time.perf_counter() - start) * 1000.0 / len(queries))
print("RESULT builds=" + ",".join(repr(b) for b in builds)
      + " queries=" + ",".join(repr(q) for q in query_times)
      + " nearest=" + ",".join(str(int(i)) for i in nearest[:, 0])
      + " distances=" + ",".join(repr(float(x)) for x in distances[:, 0]))
