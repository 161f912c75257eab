META
key;value
description;"A small hand-written election; with ""quotes"" and a ; inside"
num_projects;3
num_votes;3
budget;1000.5
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost;votes;score;name;category;district;selected
1;500;2;6;"Park; north";green,culture;North;1
2;400.5;2;3;Library;culture;South;1
3;900;1;1;Road;transport;South;0
VOTES
voter_id;vote;points;district
a;1,2;4,1;North
b;1;2;North
c;3,2;1,2;South
