#!/usr/bin/env python3
"""Writes scenarios/subsidy-reallocation.toml: "what if X% of a city's corporate
subsidies and tax abatements went into the participatory-budget pool instead?"

A synthetic, mid-sized US-like city ("Riverbend", 480,000 residents, 12 council
districts). The districts, proposals and delegates are made up; the budget lines
and unit costs are scaled from public figures, each cited in the comments the
script writes (see FIGURES below). Deterministic: run it again and the file is
identical.

    python3 scenarios/generate/subsidy_reallocation.py > scenarios/subsidy-reallocation.toml
"""
import random

SEED = 2016  # FY2016/17: the first year US local governments had to disclose abatements (GASB 77)
rng = random.Random(SEED)

POPULATION = 480_000

# --------------------------------------------------------------------------
# Public figures (what the source says) and how each is scaled to Riverbend.
# --------------------------------------------------------------------------
COLUMBUS_ABATED = 33_064_028      # Columbus OH, tax abatements, FY2016/17 (Governing via NPQ, 2018)
COLUMBUS_GF_REVENUE = 922_318_597  # Columbus OH, budgeted general-fund revenue, same table
COLUMBUS_POP = 879_170            # Columbus OH, Census estimate 1 July 2017
GARLAND_380 = 1_816_761           # Garland TX, Chapter 380 rebates, FY2018 (Good Jobs First Tax Break Tracker)
GARLAND_POP = 242_507             # Garland TX, Census estimate 1 July 2018 (city planning dept.)
FRESNO_KEPT = 3_300_000           # Fresno CA, yearly revenue the city says it keeps from its tax-sharing deals
FRESNO_POP = 527_438              # Fresno CA, ACS estimate July 2017 (Fresno Bee)
ARENA = 6_500_000                 # Minneapolis Target Center, annual debt service (Columbus Dispatch, 2009)

gf_per_resident = COLUMBUS_GF_REVENUE / COLUMBUS_POP          # ~ $1,049
general_fund = gf_per_resident * POPULATION                   # ~ $503.6 M
abatements = COLUMBUS_ABATED / COLUMBUS_POP * POPULATION      # ~ $18.05 M
chapter380 = GARLAND_380 / GARLAND_POP * POPULATION           # ~ $3.60 M
# Assumption: a 50/50 split (the "typical" share reported by Bloomberg), so the
# retailers receive about what the city keeps.
sales_rebates = FRESNO_KEPT / FRESNO_POP * POPULATION         # ~ $3.00 M
police = 0.30 * general_fund                                  # "almost one-third" (Sludge, 2020)
fire_ems = 0.20 * general_fund                                # "one in five" GF dollars (Texas Municipal League)

EXISTING_PB = 2_400_000  # Durham NC's PB allocation (2018-19); Seattle $2M (2017) / $3M (2018); Vallejo $3.2M
TO_POOL = 0.10           # the bundled default: 10% of every regressive line


def r(v, step=10_000):
    return int(round(v / step)) * step


def money(v):
    return f"{int(v):_}"


SOURCES = [
    # name, amount, kind, to_pool, source text
    ("Property-tax abatements (enterprise zones, TIF, community reinvestment areas)",
     r(abatements), "regressive", TO_POOL,
     "Columbus OH abated $33,064,028 in FY2016/17, 3.6% of its $922.3M budgeted general-fund revenue "
     "(Governing / Nonprofit Quarterly 2018, from GASB 77 notes); $37.61 per resident at 879,170 "
     "residents (Census 2017), times 480,000"),
    ("Business incentive rebates and grants (Chapter 380-style deals)",
     r(chapter380), "regressive", TO_POOL,
     "Garland TX paid $1,816,761 in Chapter 380 rebates in FY2018 under 15 agreements (Good Jobs First "
     "Tax Break Tracker, record 12159); $7.49 per resident at 242,507 residents (2018), times 480,000"),
    ("Sales-tax rebates to retailers (tax-sharing agreements)",
     r(sales_rebates), "regressive", TO_POOL,
     "Fresno CA keeps about $3.3M a year from its tax-sharing deals (Mayor Lee Brand, 2019); ASSUMED "
     "50/50 split (deals return 50-80%, typically half), so ~$3.3M rebated; $6.26 per resident at "
     "527,438 residents (2017), times 480,000"),
    ("Arena debt service and operating subsidy",
     r(ARENA), "regressive", TO_POOL,
     "Minneapolis pays $6.5M a year of debt service on the Target Center (Columbus Dispatch 2009); "
     "not scaled by population (one venue); Glendale AZ pays $15M a year plus $8.4M debt service "
     "for its arena (2013), so this is a low figure"),
    ("Police",
     r(police, 100_000), "essential", 0.0,
     "'almost one-third' of municipal budgets in 473 US cities (Sludge 2020): 30% of a $503.6M general "
     "fund ($1,049 per resident, Columbus FY2016/17 budgeted revenue, times 480,000); cross-check: GFOA, police = "
     "16.6% of all city spending (Census 2017) x Ballotpedia's median $2,031 per resident = $161.8M"),
    ("Fire and emergency medical services",
     r(fire_ems, 100_000), "essential", 0.0,
     "'one in five city general fund dollars' go to fire and EMS (Texas Municipal League, via "
     "Axianomics): 20% of the $503.6M general fund"),
]

# --------------------------------------------------------------------------
# Districts (made up; ordered poorest first). poverty = share of residents below
# the federal poverty line; infrastructure_gap = share of the district's blocks
# missing a sidewalk, still on lead service lines, or without a park within a
# 10-minute walk (averaged); need = a composite of housing-cost burden,
# uninsured rate and food insecurity. renters = share of residents who rent.
# --------------------------------------------------------------------------
# id, name, population, poverty, infrastructure gap, renters, sketch, categories of its 4 proposals
DISTRICTS = [
    ("mill-district", "Mill District", 32_000, 0.40, 0.62, 0.74,
     "old mill housing, the oldest water mains in the city",
     ["lead-pipe-replacement", "housing-repair", "street-lighting", "youth-programs"]),
    ("northside", "Northside", 46_000, 0.36, 0.58, 0.68,
     "pre-war rowhouses, long-standing disinvestment",
     ["lead-pipe-replacement", "sidewalks", "parks", "youth-programs"]),
    ("eastgate", "Eastgate", 44_000, 0.31, 0.47, 0.63,
     "1950s tract streets built without sidewalks",
     ["sidewalks", "transit-shelters", "housing-repair", "library"]),
    ("riverside-flats", "Riverside Flats", 38_000, 0.28, 0.52, 0.61,
     "flood-prone, next to the rail yards",
     ["lead-pipe-replacement", "parks", "street-lighting", "transit-shelters"]),
    ("university-heights", "University Heights", 40_000, 0.26, 0.18, 0.72,
     "students and service workers, high rents",
     ["transit-shelters", "street-lighting", "youth-programs", "traffic-safety"]),
    ("southside", "Southside", 50_000, 0.24, 0.38, 0.55,
     "working-class bungalows, few parks",
     ["sidewalks", "parks", "housing-repair", "lead-pipe-replacement"]),
    ("airport-corridor", "Airport Corridor", 30_000, 0.22, 0.44, 0.52,
     "warehouses (most of the abated property) next to mobile-home parks",
     ["sidewalks", "transit-shelters", "street-lighting", "housing-repair"]),
    ("downtown", "Downtown", 28_000, 0.19, 0.12, 0.78,
     "new towers (TIF district) and older SRO hotels",
     ["transit-shelters", "youth-programs", "library", "traffic-safety"]),
    ("midtown", "Midtown", 42_000, 0.14, 0.20, 0.48,
     "mixed streetcar suburb",
     ["traffic-safety", "library", "parks", "lead-pipe-replacement"]),
    ("lakeview", "Lakeview", 40_000, 0.09, 0.10, 0.34,
     "lakefront homes",
     ["parks", "traffic-safety", "library", "sidewalks"]),
    ("westwood", "Westwood", 48_000, 0.07, 0.08, 0.28,
     "post-war suburb, good schools",
     ["parks", "sidewalks", "traffic-safety", "youth-programs"]),
    ("oak-hills", "Oak Hills", 42_000, 0.05, 0.06, 0.22,
     "large lots, newest infrastructure",
     ["parks", "library", "traffic-safety", "street-lighting"]),
]
assert sum(d[2] for d in DISTRICTS) == POPULATION

# Unit costs (US dollars), each cited in the file's header.
SIDEWALK_PER_MILE = 150 * 5_280   # $150 per linear foot
LEAD_PER_LINE = 8_000
PLAYGROUND_PARK = (280_000, 520_000)
YOUTH_PROGRAM = (100_000, 240_000)
HOME_REPAIR = 12_000
POLE = 8_000
SHELTER = 15_000
LIBRARY = (300_000, 500_000)
SAFETY = (60_000, 200_000)


def proposal(cat, name, sketch):
    """(title, cost, divisible, min_share) for a category in a district."""
    if cat == "sidewalks":
        miles = rng.choice([0.4, 0.5, 0.6, 0.75, 0.9, 1.0, 1.2])
        return (f"Fill sidewalk gaps on school and bus routes ({miles:g} mi), {name}",
                miles * SIDEWALK_PER_MILE, True, None)
    if cat == "lead-pipe-replacement":
        n = rng.choice([60, 75, 90, 100, 120, 140])
        return (f"Replace {n} lead service lines, public and private side, {name}",
                n * LEAD_PER_LINE, True, None)
    if cat == "parks":
        return (f"Playground and park renovation (accessible play, shade, fountain), {name}",
                rng.uniform(*PLAYGROUND_PARK), False, None)
    if cat == "youth-programs":
        return (f"After-school and summer youth programme at the rec centre (one year), {name}",
                rng.uniform(*YOUTH_PROGRAM), True, 0.5)
    if cat == "housing-repair":
        n = rng.choice([20, 25, 30, 35, 40])
        return (f"Emergency repairs (roofs, furnaces, ramps) for {n} low-income homeowners, {name}",
                n * HOME_REPAIR, True, None)
    if cat == "street-lighting":
        n = rng.choice([25, 30, 40, 50, 60])
        return (f"Pedestrian street lighting, {n} new LED poles, {name}",
                n * POLE, True, None)
    if cat == "transit-shelters":
        n = rng.choice([10, 12, 15, 20, 25])
        return (f"{n} bus shelters with benches and ADA pads, {name}",
                n * SHELTER, True, None)
    if cat == "library":
        return (f"Branch library refresh (roof, HVAC, study rooms, Wi-Fi), {name}",
                rng.uniform(*LIBRARY), False, None)
    if cat == "traffic-safety":
        return (f"Curb ramps, raised crosswalks and speed humps near schools, {name}",
                rng.uniform(*SAFETY), True, None)
    raise ValueError(cat)


CITYWIDE = [
    ("city-lead-childcare", "lead-pipe-replacement", 150 * LEAD_PER_LINE, True, None,
     "Replace lead service lines at 150 schools, child-care centres and clinics, citywide"),
    ("city-bus-shelters", "transit-shelters", 40 * SHELTER, True, None,
     "40 bus shelters on the busiest stops that have none, citywide"),
    ("city-youth-jobs", "youth-programs", 200 * 3_000, True, 0.5,
     "Summer youth employment, 200 paid six-week placements, citywide"),
    ("city-home-repair", "housing-repair", 60 * HOME_REPAIR, True, None,
     "Emergency home-repair fund for 60 low-income owners, citywide"),
]

# How strongly renters' and owners' delegates favour each category (added to noise).
TILT = {
    "renters": {"housing-repair": 1.0, "lead-pipe-replacement": 0.9, "transit-shelters": 0.9,
                "youth-programs": 0.8, "street-lighting": 0.5, "sidewalks": 0.4,
                "library": 0.3, "parks": 0.2, "traffic-safety": 0.2},
    "owners": {"parks": 1.0, "sidewalks": 0.8, "traffic-safety": 0.8, "library": 0.6,
               "street-lighting": 0.5, "lead-pipe-replacement": 0.5, "youth-programs": 0.2,
               "transit-shelters": 0.0, "housing-repair": -0.3},
}

WEIGHTS = {"need": 0.3, "poverty": 0.4, "infrastructure_gap": 0.3}

# --------------------------------------------------------------------------
out = []
w = out.append

moved = sum(a * t for _, a, k, t, _ in SOURCES)
pool = EXISTING_PB + moved
regressive = sum(a for _, a, k, _, _ in SOURCES if k == "regressive")

w("# Subsidy reallocation: what if 10% of a city's corporate subsidies and tax abatements")
w("# went into the participatory-budget pool instead? What would each neighbourhood get,")
w("# and how much would reach the poorest?")
w("#")
w("# The city, \"Riverbend\", is synthetic: 480,000 residents in 12 council districts, a")
w("# mid-sized US city like Columbus OH, Fresno CA or Garland TX scaled to one size. The")
w("# districts, proposals and delegates are made up (realistic ranges, poorest first).")
w("# The BUDGET LINES and UNIT COSTS are scaled from public figures, cited below; where")
w("# no figure was found, the comment says ASSUMPTION and gives the reasoning.")
w("# Generated by scenarios/generate/subsidy_reallocation.py (deterministic).")
w("#")
w("# How to read it")
w("#   [pool] amount        the city's existing participatory budget (before any reallocation)")
w("#   [[budget.sources]]   lines of the ordinary budget; `to_pool` is the share of a line")
w("#                        moved into the pool. Regressive lines (abatements, rebates,")
w("#                        stadium money) can move; essential lines (police, fire) are")
w("#                        listed only so the waterfall chart shows what is protected:")
w("#                        moving money out of them is refused.")
w("#   pool = amount + what the sources move. A source's `id` names it in sweeps:")
w("#     participa sweep scenarios/subsidy-reallocation.toml --vary budget.sources.abatements.to_pool=0:0.5:0.05 --out results/abatements")
w(f"#   Here: ${EXISTING_PB:,} + 10% of ${regressive:,} = ${pool:,.0f},")
w(f"#   {pool / EXISTING_PB:.1f} times today's pool: ${pool / POPULATION:.2f} per resident"
  f" instead of ${EXISTING_PB / POPULATION:.2f}.")
w("#   Try to_pool = 0 (status quo), 0.05, 0.25 on the regressive lines and compare.")
w("#")
w("# Sources (figures as quoted on these pages, read in stored copies; years are those of the")
w("# figures, not of the scenario):")
w("#  [1] Governing (Liz Farmer), reported by Nonprofit Quarterly, 26 Feb 2018, table of FY2016/17")
w("#      tax abatements vs budgeted general-fund revenue: Columbus $33,064,028 of $922,318,597")
w("#      (3.6%); Pittsburgh $7,470,727 of $533,737,000 (1.4%); Denver 8.9%; Indianapolis 8.5%;")
w("#      Nashville 0.5%. https://nonprofitquarterly.org/2018/02/26/cities-report-corporate-tax-abatement-costs-first-time/")
w("#  [2] Columbus population 879,170 (Census estimate, 1 July 2017), as listed by")
w("#      https://allcolumbusdata.com/tag/ohio-city-comparison")
w("#  [3] Governing (Mike Maciag), \"Where Governments Are Losing the Most Revenues To Tax")
w("#      Abatements\" (2018; Good Jobs First data, per-capita losses of 446 cities and counties),")
w("#      http://www.governing.com/gov-data/finance/local-tax-incentives-subsidies-income-inequality-report.html ;")
w("#      summarised by Nonprofit Quarterly (30 Apr 2018): \"In many cities, the price tag exceeds")
w("#      $100 per capita\" (https://nonprofitquarterly.org/2018/04/30/nonprofit-advocacy-group-details-cost-corporate-tax-abatements/).")
w(f"#      Riverbend's four regressive lines come to ${regressive / POPULATION:.0f} per resident: on the low side.")
w("#  [4] Good Jobs First, Tax Break Tracker, City of Garland TX, FY2018, \"Tax Rebate - Chapter 380\",")
w("#      gross revenue loss $1,816,761, 15 active agreements.")
w("#      https://taxbreaktracker.goodjobsfirst.org/?detail=single_record&record_id=12159")
w("#  [5] City of Garland Planning: population estimate 242,507 (1 July 2018).")
w("#      https://garlandplanning.org/394/Demographics")
w("#  [6] Fresno CA: the mayor says the city earns $3.3M a year from its sales-tax-sharing")
w("#      agreements (2019, via http://churchilltaxconsultants.com/2019/10/13/newsom-vetoes-law-to-ban-ca-cities-from-sharing-sales-tax/);")
w("#      cities \"return 50 to 80% of the tax back to the retailers\" (Sacramento Bee, 2021,")
w("#      https://www.sanluisobispo.com/news/california/article252012018.html); \"typically half\"")
w("#      (Bloomberg Tax, 2024, via http://a42.asmdc.org/news/20240319-california-bill-seeks-transparency-sales-tax-sharing-deals).")
w("#      Fresno population 527,438 (ACS, July 2017; https://www.fresnobee.com/news/local/article212219904.html).")
w("#  [7] Columbus Dispatch, 7 Jun 2009: Minneapolis bought the Target Center arena with bonds;")
w("#      the $6.5M yearly debt service is paid from a 3% ticket tax, city parking-garage revenue,")
w("#      a state contribution and property taxes on the arena area, i.e. city revenue that could")
w("#      otherwise fund services. http://www.dispatch.com/content/stories/local/2009/06/07/arena_compare.ART_ART_06-07-09_A1_URE3QFO.html")
w("#      Glendale AZ agreed to pay $15M a year to the Coyotes' owners (Al Jazeera America, 2013,")
w("#      http://america.aljazeera.com/articles/2013/8/21/pay-to-play.html) on top of $8.4M of arena")
w("#      debt service (Arizona Republic, quoted at https://puckdrunklove.net/?p=808).")
w("#  [8] Sludge, \"Poorer Cities Spend More of Budget on Police\" (26 Jun 2020), 473 cities: police")
w("#      take \"almost one-third of municipal budgets\".")
w("#      https://readsludge.com/2020/06/26/poorer-cities-spend-more-of-budget-on-police-even-where-crime-is-lower/")
w("#      GFOA expenditure dashboard (Census 2017): cities spend 16.6% of all expenditures on police.")
w("#      https://www.gfoa.org/expenditure-dashboard-cities ; Ballotpedia: the 100 largest cities'")
w("#      median spending is $2,031 per resident (2014-15).")
w("#      https://ballotpedia.org/Analysis_of_spending_in_America%27s_largest_cities")
w("#  [9] Texas Municipal League, via https://axianomics.com/tag/city-budget/ : \"one-in-five city")
w("#      general fund dollars go to municipal fire and emergency life support services\".")
w("# [10] Participatory budgets in US cities: Durham NC $2.4M, $800,000 per ward (2018-19,")
w("#      https://www.durhamnc.gov/CivicAlerts.aspx?AID=1920&ARC=2600); Seattle \"Your Voice, Your Choice\" $2M (2017),")
w("#      $3M (2018) (https://frontporch.seattle.gov/2018/08/17/the-votes-are-in-for-your-voice-your-choice-parks-and-streets/);")
w("#      Vallejo CA $3.2M, 30% of a new sales tax, ~117,000 residents (League of California Cities,")
w("#      https://www.cacities.org/Top/Partners/California-City-Solutions/2014/City-of-Vallejo-Participatory-Budgeting-Program);")
w("#      Greensboro NC $500,000, $100,000 per district (https://www.greensboro-nc.gov/departments/budget-evaluation/participatory-budgeting/about);")
w("#      New York City Council: $1M per participating district (https://rnd.council.nyc.gov/ideamap/).")
w("# [11] Unit costs of proposals:")
w("#      sidewalks: $150 per linear foot, in the $100-$300 range a city public-works director gave")
w("#        for new sidewalks with curb and ADA ramps (Shopper News, Knoxville TN,")
w("#        http://shoppernewsnow.com/featured-content/the-long-costly-road-to-sidewalks/); NYSDOT's")
w("#        planning figure is $92 per foot (https://fdocuments.in/document/6-sidewalk-finances-sidewalk-finances-61-issue-area-any-effort-to-plan-for.html).")
w("#      lead service lines: $8,000 each, full replacement; mean of estimates $8,247, median $6,143")
w("#        (Safe Water Engineering, 2024, https://safewaterengineering.com/hottopics/2024/4/8/lead-service-line-replacement-costs-and-strategies-for-reducing-them);")
w("#        NCSL: $1,200-$12,300, average $4,700 (https://www.ncsl.org/environment-and-natural-resources/state-and-federal-efforts-to-address-lead-in-drinking-water).")
w("#      playground and park renovation: $280,000-$520,000; Atlanta's Memorial Park playground cost about")
w("#        $400,000 all in (https://atlmemorialpark.org/ufaqs/how-much-did-the-playground-cost/); Boston's youth PB")
w("#        funded a $400,000 playground (http://www.participatorybudgeting.org/boston/).")
w("#      bus shelters: $15,000 each with pad and bench; Cleveland $5,500, Detroit $6,000, Louisville $10,000,")
w("#        Columbus up to $12,000 (Streetsblog USA, 2018, https://usa.streetsblog.org/2018/10/01/opinion-we-should-put-a-bus-shelter-at-every-stop-in-america/);")
w("#        Los Angeles $50,000 (https://pedestrianobservations.com/2023/05/19/quick-note-los-angeles-spends-50000-per-bus-shelter/).")
w("#      emergency home repair: $12,000 per home; city programmes grant up to $4,500 (Amarillo),")
w("#        $5,000 (Grand Prairie), $20,000 (Modesto, mobile homes), $40,000 (Coral Springs)")
w("#        (http://comdev.amarillo.gov/?page_id=26 ; https://gphns.org/neighborhood-services/emergency-services/ ;")
w("#        https://www.modestogov.com/696/Home-Repair-Assistance ; https://www.coralsprings.gov/Government/Departments/Community-Development/Housing-Assistance/Home-Repair-Program).")
w("#      branch library refresh: $300,000-$500,000; San Antonio did $8M of repair and renovation at 20")
w("#        library locations, $400,000 each (2013, http://www.sanantoniocitymanager.com/2013/02/library-update/).")
w("#      youth programmes: $100,000-$240,000 a year; Durham's PB funded a STEM and entrepreneurship")
w("#        programme for $99,121 (2019, [10]).")
w("#      ASSUMPTION street lighting: $8,000 per LED pole installed. Only vendor pages were found")
w("#        (about $4,000 per pole, \"typically $6,500-$10,000\" installed); Durham's PB funded housing-")
w("#        authority lighting and cameras for $113,300 ([10]).")
w("#      ASSUMPTION curb ramps / raised crosswalks: $60,000-$200,000 a package; Durham's PB funded")
w("#        accessible ramps for $56,650 ([10]); Seattle's PB caps a street project at $90,000 ([10]).")
w("#      ASSUMPTION summer youth jobs: $3,000 per six-week placement (25 h a week at $15 = $2,250")
w("#        in wages, plus supervision and payroll costs); no public per-placement figure was found.")
w("")
w('name = "subsidy-reallocation"')
w('description = "A 480,000-resident US-like city moves 10% of its corporate subsidies and tax abatements '
  f'into participatory budgeting: a ${pool / 1e6:.2f}M pool (${EXISTING_PB / 1e6:.1f}M today) over 12 districts, '
  '52 proposals, 36 delegates."')
w(f"seed = {SEED}")
w("")
w("# The fixed part of the pool: what the city already puts into participatory budgeting.")
w("# $2.4M is Durham NC's allocation; US cities range from Greensboro's $500,000 to Vallejo's")
w("# $3.2M and Seattle's $3M [10]. Set it to 0 to ask what the reallocation alone would fund.")
w("[pool]")
w('currency = "USD"')
w(f"amount = {money(EXISTING_PB)}")
w("")
w("# ---------------------------------------------------------------------------------------")
w("# Budget lines. `amount` is the line's yearly amount before anything moves; for an")
w("# abatement or rebate it is the revenue the city forgoes or pays out each year, so moving")
w("# 10% means granting 10% less (not renewing, capping or clawing back deals).")
w(f"# Reference: Riverbend's general fund is about {money(r(general_fund, 100_000))} USD, "
  f"{gf_per_resident:,.0f} USD per resident")
w("# (Columbus FY2016/17 budgeted general-fund revenue per resident [1][2], times 480,000).")
w("# ---------------------------------------------------------------------------------------")
SOURCE_IDS = {'Property-tax abatements (enterprise zones, TIF, community reinvestment areas)': 'abatements', 'Business incentive rebates and grants (Chapter 380-style deals)': 'incentives', 'Sales-tax rebates to retailers (tax-sharing agreements)': 'sales-tax-rebates', 'Arena debt service and operating subsidy': 'arena', 'Police': 'police', 'Fire and emergency medical services': 'fire'}
notes = {
    "regressive": "# Regressive: a corporate subsidy; 10% of it moves into the pool.",
    "essential": "# Essential: must not be cut; listed so the waterfall shows it untouched (to_pool = 0).",
}
for name, amount, kind, to_pool, src in SOURCES:
    w("")
    w(notes[kind])
    w("[[budget.sources]]")
    w(f'id = "{SOURCE_IDS[name]}"')
    w(f'name = "{name}"')
    w(f"amount = {money(amount)}")
    w(f'kind = "{kind}"')
    w(f"to_pool = {to_pool:g}" + (f"        # moves {money(amount * to_pool)} USD" if to_pool else ""))
    w(f'source = "{src}"')
w("")

# Entitlements, as the weighted-sum formula computes them.
raw = {}
for d, name, pop, pov, gap, renters, sketch, cats in DISTRICTS:
    pass
districts = []
for d, name, pop, pov, gap, renters, sketch, cats in DISTRICTS:
    need = min(1.0, max(0.0, 0.45 * pov + 0.45 * gap + 0.12 + rng.uniform(-0.04, 0.04)))
    need = round(need, 2)
    districts.append((d, name, pop, need, pov, gap, renters, sketch, cats))
tw = sum(WEIGHTS.values())
score = {d: pop * (WEIGHTS["need"] * need + WEIGHTS["poverty"] * pov + WEIGHTS["infrastructure_gap"] * gap) / tw
         for d, name, pop, need, pov, gap, renters, sketch, cats in districts}
total = sum(score.values())
share = {d: s / total for d, s in score.items()}

w("# Need-weighted entitlements: population x (0.3 need + 0.4 poverty + 0.3 infrastructure gap).")
w("# Poverty weighs most because the question is how much reaches the poorest. Each")
w("# district's share of the pool, and its guaranteed floor (half its entitlement):")
w("#                          share   entitlement    floor today    floor with 10% moved")
w(f"#                                   of ${pool / 1e6:.2f}M      of $2.40M      of ${pool / 1e6:.2f}M")
for d, name, pop, need, pov, gap, renters, sketch, cats in districts:
    w(f"#   {name:<22}{share[d] * 100:5.1f}%   {'$' + format(r(share[d] * pool, 1_000), ','):>12}   "
      f"{'$' + format(r(0.5 * share[d] * EXISTING_PB, 1_000), ','):>12}   {'$' + format(r(0.5 * share[d] * pool, 1_000), ','):>12}")
poor = [x[0] for x in districts if x[4] >= 0.28]
poor_share = sum(share[d] for d in poor)
poor_pop = sum(x[2] for x in districts if x[4] >= 0.28)
w(f"# The four districts with poverty of 28% or more hold {poor_pop / POPULATION * 100:.0f}% of residents "
  f"and {poor_share * 100:.0f}% of the entitlements:")
w(f"# ${r(poor_share * EXISTING_PB, 1_000):,} of today's pool, ${r(poor_share * pool, 1_000):,} "
  "of the reallocated one (entitlements; what")
w("# is actually funded also depends on the delegates' rankings and the floors).")
w("[formula]")
w('kind = "weighted-sum"')
w("weights = { need = 0.3, poverty = 0.4, infrastructure_gap = 0.3 }")
w("")
w("# Delegates' rankings become priority scores by Borda count (with 5 proposals ranked,")
w("# the first gets 5 points, the last 1; tied proposals share).")
w("[scoring]")
w('rule = "borda"')
w("")
w("# Fund the set of proposals with the highest total score that fits the pool and the")
w("# constraints below.")
w("[allocation]")
w('rule = "optimal"')
w("")
w("[constraints]")
w("# Every district receives at least half its need-weighted entitlement (table above).")
w("entitlement_floor = 0.5")
w("")
w("# Capture safeguard: renters are 53% of residents but under-represented among delegates,")
w("# so the proposals that renters' delegates rank first must receive at least 25% of the pool.")
w("[[constraints.quorums]]")
w('group = "renters"')
w("top_k = 1")
w("min_share = 0.25")
w("")
w("[[groups]]")
w('id = "renters"')
w('name = "Renters"')
w("")
w("[[groups]]")
w('id = "owners"')
w('name = "Home owners"')
w("")
w("# ---------------------------------------------------------------------------------------")
w("# Districts (synthetic). poverty: share of residents below the federal poverty line (US")
w("# neighbourhoods range from under 5% to over 40%); infrastructure_gap: share of blocks missing")
w("# a sidewalk, still served by lead service lines or without a park within a 10-minute walk;")
w("# need: composite of housing-cost burden, uninsured rate and food insecurity. groups: share")
w("# of residents who rent or own. The poorest districts have the largest gaps.")
w("# ---------------------------------------------------------------------------------------")
renter_total = sum(x[2] * x[6] for x in districts) / POPULATION
assert abs(renter_total - 0.53) < 0.01, renter_total
for d, name, pop, need, pov, gap, renters, sketch, cats in districts:
    w("")
    w(f"# {sketch}")
    w("[[districts]]")
    w(f'id = "{d}"')
    w(f'name = "{name}"')
    w(f"population = {pop:_}")
    w(f"need = {need:.2f}")
    w(f"poverty = {pov:.2f}")
    w(f"infrastructure_gap = {gap:.2f}")
    w(f"groups = {{ renters = {renters:.2f}, owners = {1 - renters:.2f} }}")
w("")

w("# ---------------------------------------------------------------------------------------")
w("# Proposals: four per district, chosen to match its gaps, plus four citywide. Costs are")
w("# unit costs [11] times quantities. divisible = can be funded in part (a programme with")
w("# min_share = 0.5 needs at least half its cost to run; a playground or a library refresh")
w("# is all or nothing).")
w("# ---------------------------------------------------------------------------------------")
proposals = []
for d, name, pop, need, pov, gap, renters, sketch, cats in districts:
    for k, cat in enumerate(cats, start=1):
        title, cost, divisible, min_share = proposal(cat, name, sketch)
        pid = f"{d}-{k}"
        cost = r(cost, 1_000)
        proposals.append((pid, d, cat, cost, divisible, min_share))
        w("")
        w("[[proposals]]")
        w(f'id = "{pid}"')
        w(f'title = "{title}"')
        w(f'district = "{d}"')
        w(f'category = "{cat}"')
        w(f"cost = {money(cost)}")
        w(f"divisible = {'true' if divisible else 'false'}")
        if min_share:
            w(f"min_share = {min_share}")
for pid, cat, cost, divisible, min_share, title in CITYWIDE:
    proposals.append((pid, "citywide", cat, cost, divisible, min_share))
    w("")
    w("[[proposals]]")
    w(f'id = "{pid}"')
    w(f'title = "{title}"')
    w('district = "citywide"')
    w(f'category = "{cat}"')
    w(f"cost = {money(cost)}")
    w(f"divisible = {'true' if divisible else 'false'}")
    if min_share:
        w(f"min_share = {min_share}")
w("")

total_cost = sum(p[3] for p in proposals)
w("# ---------------------------------------------------------------------------------------")
w(f"# Delegates: three per district. Proposals ask for {money(total_cost)} USD in all, "
  f"{total_cost / pool:.1f} times the pool.")
w("# Each ranking is the delegate's assembly mandate, best first: three or four of the")
w("# district's proposals and sometimes one citywide proposal; a nested list is a tie.")
n_rent_del = sum(max(1 if x[6] >= 0.5 else 0, round(3 * x[6] * 0.8)) for x in districts)
w(f"# Renters are {renter_total * 100:.0f}% of residents but {n_rent_del} of the 36 delegates "
  f"({n_rent_del / 36 * 100:.0f}%), hence the renters quorum above.")
w("# ---------------------------------------------------------------------------------------")
n = 0
renter_firsts = set()
for d, name, pop, need, pov, gap, renters, sketch, cats in districts:
    n_renters = max(1 if renters >= 0.5 else 0, round(3 * renters * 0.8))
    own = [p for p in proposals if p[1] == d]
    for k in range(3):
        n += 1
        group = "renters" if k < n_renters else "owners"
        util = [(TILT[group][cat] + rng.gauss(0, 0.7), pid) for pid, _, cat, *_ in own]
        util.sort(reverse=True)
        keep = rng.choice([3, 4, 4])
        ranking = [pid for _, pid in util[:keep]]
        if rng.random() < 0.6:
            cw = max(CITYWIDE, key=lambda c: TILT[group][c[1]] + rng.gauss(0, 0.7))
            pos = rng.randint(1, len(ranking))
            ranking.insert(pos, cw[0])
        if group == "renters":
            renter_firsts.add(ranking[0])
        entries = []
        i = 0
        while i < len(ranking):
            if i + 1 < len(ranking) and i > 0 and rng.random() < 0.1:
                entries.append(f'["{ranking[i]}", "{ranking[i + 1]}"]')
                i += 2
            else:
                entries.append(f'"{ranking[i]}"')
                i += 1
        w("")
        w("[[delegates]]")
        w(f'id = "del-{n:02d}"')
        w(f'district = "{d}"')
        w(f'group = "{group}"')
        w(f"ranking = [{', '.join(entries)}]")

# The renters quorum must be satisfiable: renters' first choices cost at least 25% of the pool.
first_cost = sum(p[3] for p in proposals if p[0] in renter_firsts)
assert first_cost >= 0.25 * pool, (first_cost, pool)

print("\n".join(out).rstrip())
