"""Generate the demo catalog of the Korea Public Procurement Expo's public sales hall.

The hub, the kiosks and the load benches all need a catalog the size of the real
hall (about 660 exhibiting firms and 2,200 products) before any exhibitor has
sent one in. This script makes it from small tables of Korean and English word
parts with a fixed seed, so the committed `config/catalog.csv` can be rebuilt
byte for byte and a changed row in review means a changed table here.

    python config/make_catalog.py [--out config/catalog.csv] [--firms N] [--products N] [--seed S]

Standard library only: it runs before the hub's dependencies are installed.
"""
import argparse
import csv
import random
from pathlib import Path

COLUMNS = ("sku", "barcode", "name", "name_en", "firm", "firm_en", "booth",
           "category", "price", "stock", "tax_free", "tags", "image")
# A few items come with a picture (config/images/samples/, drawn by hand); every other product is shown
# with its category's pictogram. Chosen by item, not by the dice, so the other columns stay as they were.
SAMPLE_IMAGES = {
    "스마트 홈카메라": "samples/home-camera.svg", "스마트 도어락": "samples/door-lock.svg",
    "IoT 온습도 센서": "samples/thermo-sensor.svg", "로봇청소기": "samples/robot-vacuum.svg",
    "촬영용 드론": "samples/camera-drone.svg",
}
TAGS = ("innovative-product", "excellent-procurement", "eco-certified", "startup",
        "ces-showcase", "made-in-korea")
HALLS, ROWS, PER_ROW = "ABCD", 5, 55          # A-101 .. D-555: 1,100 booths
MIN_PRICE, MAX_PRICE = 3_900, 1_890_000

# Item lines are "Korean|English|low-high price in thousand won|kinds". Kinds say how a name
# is varied: M model code, C colour, O field colour, S clothing size, Z shoe size, W/K light/heavy
# weight, V volume, P pack count, D diameter, H shade, L level, R place of origin, X optional
# "스마트" prefix. T marks goods exempt from VAT (raw farm and fishery produce, books), which
# the POS splits out on the receipt.
ITEMS = {
    "ai": """AI 음성인식 스피커|AI Voice Recognition Speaker|59-189|MC; AI 통번역기|AI Pocket Translator|89-299|MC
        AI 영상분석 CCTV 카메라|AI Video Analytics CCTV Camera|149-890|M
        AI 얼굴인식 출입 단말기|AI Face Recognition Access Terminal|290-990|M
        AI 회의록 녹음기|AI Meeting Transcription Recorder|99-349|MC; AI 스마트 펜|AI Smart Pen|49-159|MC
        AI 학습 태블릿|AI Learning Tablet|190-590|MC; AI 반려동물 카메라|AI Pet Camera|59-199|C
        AI 자세교정 웨어러블|AI Posture Correction Wearable|39-129|C
        AI 문서인식 스캐너|AI Document Recognition Scanner|129-490|M; AI 스마트 미러|AI Smart Mirror|290-890|M
        온디바이스 AI 엣지 보드|On-Device AI Edge Board|89-390|M""",
    "robot": """로봇청소기|Robot Vacuum Cleaner|190-890|MC; 물걸레 로봇청소기|Robot Mop|159-590|MC
        창문 청소 로봇|Window Cleaning Robot|149-390|MC; 교육용 코딩 로봇|Educational Coding Robot|49-189|MC
        탁상용 로봇 팔|Desktop Robot Arm|290-1490|M; 반려 로봇|Companion Robot|129-590|C
        돌봄 로봇|Senior Care Robot|390-1290|M; 잔디깎이 로봇|Robotic Lawn Mower|490-1690|M
        수영장 청소 로봇|Pool Cleaning Robot|390-1290|M; 휴머노이드 로봇 키트|Humanoid Robot Kit|190-890|M
        로봇 그리퍼 모듈|Robot Gripper Module|89-490|M; 소형 서빙 로봇|Compact Serving Robot|990-1890|MC""",
    "3d-printing": """FDM 3D 프린터|FDM 3D Printer|290-1290|M; 레진 3D 프린터|Resin 3D Printer|349-1490|M
        교육용 3D 프린터|Educational 3D Printer|249-790|M
        3D 프린터 PLA 필라멘트 1kg|PLA Filament 1kg for 3D Printers|19-39|C
        3D 프린터 PETG 필라멘트 1kg|PETG Filament 1kg for 3D Printers|22-45|C
        3D 프린터 광경화 레진 1L|Photopolymer Resin 1L|39-89|C; 3D 펜|3D Printing Pen|19-69|C
        3D 스캐너|3D Scanner|390-1690|M; 3D 프린터 노즐 세트|3D Printer Nozzle Set|9-29|P
        3D 프린터 빌드 플레이트|3D Printer Build Plate|19-69|M; 레이저 각인기|Laser Engraver|290-1290|M""",
    "drone": """촬영용 드론|Camera Drone|290-1490|MC; 미니 드론|Mini Drone|49-159|C
        교육용 코딩 드론|Educational Coding Drone|89-290|C; FPV 레이싱 드론|FPV Racing Drone|190-790|M
        드론 배터리|Drone Battery|49-159|M; 드론 프로펠러 세트|Drone Propeller Set|9-29|P
        드론 충전 허브|Drone Charging Hub|39-129|M; 드론 하드케이스|Drone Hard Case|39-149|C
        드론 조종기|Drone Controller|89-390|M; 드론 비행 시뮬레이터|Drone Flight Simulator|59-190|M
        수중 드론|Underwater Drone|490-1690|M""",
    "iot": """스마트 플러그|Smart Plug|12-29|CP; 스마트 도어락|Smart Door Lock|129-390|MC
        스마트 LED 전구|Smart LED Bulb|9-29|CP; 스마트 홈 허브|Smart Home Hub|49-159|M
        IoT 온습도 센서|IoT Temperature & Humidity Sensor|15-49|MP; 스마트 커튼 모터|Smart Curtain Motor|89-249|M
        스마트 가스 차단기|Smart Gas Valve Controller|79-199|M; IoT 미세먼지 측정기|IoT Fine Dust Monitor|39-149|MC
        스마트 홈카메라|Smart Home Camera|39-149|MC; 스마트 벽 스위치|Smart Wall Switch|19-59|MC
        스마트 비디오 도어벨|Smart Video Doorbell|69-249|MC; 스마트 누수 감지기|Smart Water Leak Detector|19-59|MP
        스마트 멀티탭|Smart Power Strip|29-79|MC""",
    "safety": """스마트 안전모|Smart Safety Helmet|59-189|MC; 안전모|Safety Helmet|9-39|C; 안전화|Safety Shoes|39-129|Z
        방진 마스크|Dust Mask|9-29|P; 형광 안전조끼|Hi-Vis Safety Vest|9-29|S
        충전식 LED 작업등|Rechargeable LED Work Light|19-69|M; 휴대용 가스 감지기|Portable Gas Detector|89-390|MX
        분말 소화기|Powder Fire Extinguisher|19-59|M; 화재 대피용 마스크|Fire Escape Smoke Hood|19-49|P
        추락방지 안전대|Fall Arrest Harness|49-190|S; 스마트 작업자 안전 밴드|Smart Worker Safety Band|49-149|M
        보안경|Safety Goggles|5-19|C; 절단방지 장갑|Cut-Resistant Gloves|6-19|S
        지진 대비 생존 배낭|Earthquake Emergency Backpack|49-159|C""",
    "office": """전동 높이조절 책상|Electric Standing Desk|290-890|CX; 인체공학 사무용 의자|Ergonomic Office Chair|149-590|C
        모니터 암|Monitor Arm|39-149|C; 문서 세단기|Paper Shredder|79-390|M; 레이저 프린터|Laser Printer|149-590|M
        잉크젯 복합기 프린터|Inkjet Multifunction Printer|99-390|M; 라벨 프린터|Label Printer|49-190|MC
        영수증 프린터|Receipt Printer|129-390|M; 무선 프레젠터|Wireless Presenter|19-59|C
        화상회의 카메라|Video Conference Camera|89-390|M; 저소음 무선 키보드|Silent Wireless Keyboard|29-99|C
        책상 파티션|Desk Partition|39-129|C; 코팅기|Laminator|39-129|M
        재생 토너 카트리지|Remanufactured Toner Cartridge|29-89|M""",
    "eco": """친환경 재생지 노트|Eco Recycled Paper Notebook|3-12|P; 재생 플라스틱 텀블러|Recycled Plastic Tumbler|12-29|C
        생분해 비닐봉투|Biodegradable Bags|5-15|P; 대나무 칫솔|Bamboo Toothbrush|4-12|P
        폐페트병 재생 에코백|Recycled PET Eco Bag|12-39|C; 현수막 업사이클링 토트백|Upcycled Banner Tote Bag|29-89|C
        밀랍 랩|Beeswax Food Wrap|9-25|P; 고체 주방세제|Solid Dish Soap|6-15|P
        실리콘 빨대 세트|Reusable Silicone Straw Set|5-15|C; 태양광 충전 보조배터리|Solar Power Bank|29-89|MC
        음식물 처리기|Food Waste Processor|290-890|MX; 커피박 재생 화분|Coffee Grounds Planter|9-29|C
        친환경 종이 포장 테이프|Eco Paper Packing Tape|3-9|P""",
    "food": """햅쌀|New-Crop Rice|25-69|RKT; 현미|Brown Rice|19-49|RKT; 잡곡 혼합|Mixed Grains|12-39|RWT
        사과|Apples|25-69|RKT; 배|Asian Pears|29-79|RKT; 감귤|Tangerines|19-49|RKT; 고구마|Sweet Potatoes|15-39|RKT
        감자|Potatoes|12-29|RKT; 건표고버섯|Dried Shiitake Mushrooms|19-69|RWT; 마른 멸치|Dried Anchovies|19-59|RWT
        건미역|Dried Sea Mustard|9-29|RWT; 고춧가루|Red Pepper Powder|19-59|RWT; 건대추|Dried Jujubes|19-49|RWT
        곶감|Dried Persimmons|29-79|RPT; 한우 불고기용|Hanwoo Beef for Bulgogi|39-129|RWT
        냉동 전복|Frozen Abalone|39-119|RWT; 유정란 30구|Free-Range Eggs 30 pcs|8-19|RT
        홍삼정|Red Ginseng Extract|49-190|RW; 전통 고추장|Traditional Gochujang|12-39|RW
        조미김|Seasoned Laver|9-25|RP; 유자차|Citron Tea|9-25|RW; 아카시아 벌꿀|Acacia Honey|25-79|RW
        수제 한과|Handmade Hangwa|19-59|RP""",
    "health": """자동 전자 혈압계|Automatic Blood Pressure Monitor|39-129|MX
        귀 적외선 체온계|Infrared Ear Thermometer|29-79|MC; 혈당 측정기|Blood Glucose Meter|19-69|MX
        저주파 마사지기|Portable TENS Massager|29-99|MC; 목 어깨 안마기|Neck & Shoulder Massager|49-190|MC
        스마트 체중계|Smart Body Scale|29-89|C; 산소포화도 측정기|Pulse Oximeter|19-59|C
        귓속형 보청기|In-Ear Hearing Aid|190-890|M; 휴대용 네뷸라이저|Portable Nebulizer|39-129|M
        무릎 보호대|Knee Support|12-39|S; 스마트 약 보관함|Smart Pill Dispenser|39-129|C
        원적외선 찜질기|Far-Infrared Heating Pad|39-129|C; 손목 혈압계|Wrist Blood Pressure Monitor|29-89|M
        접이식 보행 보조기|Foldable Walking Aid|59-290|C""",
    "kitchen": """스테인리스 냄비 세트|Stainless Steel Pot Set|49-249|M; 인덕션 프라이팬|Induction Frying Pan|19-79|D
        스마트 에어프라이어|Smart Air Fryer|89-249|MC; 전기밥솥|Electric Rice Cooker|89-390|MCX
        진공 블렌더|Vacuum Blender|99-390|MC; 원목 도마|Solid Wood Cutting Board|19-59|S
        세라믹 칼 세트|Ceramic Knife Set|29-99|C; 밀폐용기 세트|Airtight Container Set|19-59|P
        무선 전기주전자|Cordless Electric Kettle|29-89|CX; 뚝배기|Earthenware Pot (Ttukbaegi)|9-29|D
        미니 식기세척기|Countertop Dishwasher|290-690|MC; 스마트 주방 저울|Smart Kitchen Scale|15-49|C
        방짜유기 수저 세트|Bangjja Brass Spoon & Chopsticks Set|29-129|P""",
    "beauty": """수분 크림|Moisturizing Cream|19-49|V; 선크림 SPF50+|Sunscreen SPF50+|12-35|V
        병풀 진정 토너|Centella Calming Toner|15-39|V; 비타민C 세럼|Vitamin C Serum|19-59|V; 시트 마스크팩|Sheet Mask|9-29|P
        쿠션 파운데이션|Cushion Foundation|19-49|H; 클렌징 폼|Cleansing Foam|9-25|V; 한방 샴푸|Herbal Shampoo|15-39|V
        립 틴트|Lip Tint|9-25|H; 갈바닉 마사지기|Galvanic Facial Device|59-190|MC
        LED 마스크|LED Skin Care Mask|190-590|M; 핸드크림|Hand Cream|5-19|V
        인삼 영양 크림|Ginseng Nourishing Cream|29-89|V""",
    "stationery": """젤 잉크 볼펜|Gel Ink Pen|5-19|P; 형광펜 세트|Highlighter Set|4-12|P
        스프링 노트|Spiral Notebook|3-12|P; 만년필|Fountain Pen|29-190|C; 스마트 전자 노트|E-Ink Smart Notepad|190-490|M
        자석 화이트보드|Magnetic Whiteboard|19-79|M; 한지 편지지 세트|Hanji Letter Paper Set|5-15|P
        캘리그라피 붓펜|Calligraphy Brush Pen|4-12|P; 데스크 오거나이저|Desk Organizer|12-39|C; 스테이플러|Stapler|5-19|C
        점착 메모지|Sticky Notes|3-9|P; 색연필 세트|Coloured Pencil Set|9-39|P; 다이어리|Planner Diary|12-29|C
        전동 연필깎이|Electric Pencil Sharpener|15-39|C""",
    "tools": """충전 전동드릴|Cordless Drill Driver|69-290|M; 충전 임팩트 드라이버|Cordless Impact Driver|89-290|M
        레이저 거리측정기|Laser Distance Meter|39-190|MX; 디지털 멀티미터|Digital Multimeter|29-129|M
        가정용 공구 세트|Household Tool Set|39-190|M; 전동 드라이버|Electric Screwdriver|29-89|MC
        온도조절 인두기|Temperature-Controlled Soldering Iron|19-89|M; 앵글 그라인더|Angle Grinder|49-190|M
        자동 줄자|Tape Measure|5-19|M; 디지털 수평계|Digital Spirit Level|9-39|M
        저소음 에어 컴프레서|Quiet Air Compressor|149-590|M; 글루건|Hot Glue Gun|9-29|C; 공구함|Tool Box|19-79|C
        충전 원형톱|Cordless Circular Saw|129-390|M""",
    "textile": """기능성 티셔츠|Performance T-Shirt|15-39|CS; 냉감 침구 세트|Cooling Bedding Set|49-190|C
        극세사 담요|Microfiber Blanket|19-59|C; 유기농 면 수건|Organic Cotton Towels|12-39|P
        천연 염색 스카프|Naturally Dyed Scarf|19-69|C; 발열 내의|Thermal Underwear|19-49|CS
        방수 바람막이|Waterproof Windbreaker|49-149|CS; 생활한복 저고리|Modern Hanbok Jacket|59-190|CS
        등산 양말|Hiking Socks|6-19|P; 메모리폼 베개|Memory Foam Pillow|29-89|C; 누비 조끼|Quilted Vest|39-99|CS
        근무복 세트|Work Uniform Set|49-129|S""",
    "defence": """전술 배낭|Tactical Backpack|59-190|O; 전술 장갑|Tactical Gloves|19-59|S
        전술 손전등|Tactical Flashlight|29-99|M; 전술 시계|Tactical Watch|59-290|MO
        야간 투시 단안경|Night Vision Monocular|290-1290|M; 동계 침낭|Cold-Weather Sleeping Bag|59-190|O
        전투식량 비상식|Combat Ration Emergency Meal|9-29|P; 전술 조끼|Tactical Vest|59-190|OS
        드론 탐지기|Drone Detector|490-1890|M; 휴대용 정수 빨대|Portable Water Filter Straw|19-49|O
        1인용 위장 텐트|One-Person Camouflage Tent|89-290|M; 파라코드 팔찌|Paracord Bracelet|6-19|O
        전술 무전기|Tactical Two-Way Radio|89-390|M""",
    "education": """코딩 교육 키트|Coding Education Kit|39-149|M
        아두이노 호환 스타터 키트|Arduino-Compatible Starter Kit|29-89|M; 과학 실험 키트|Science Experiment Kit|19-59|M
        로봇 조립 교구|Robot Building Kit|39-190|M; AI 교육용 카메라 키트|AI Education Camera Kit|49-190|M
        드론 교육 교구|Drone Education Kit|59-190|M; 전자칠판|Interactive Whiteboard|990-1890|M
        초등 코딩 교재|Elementary Coding Textbook|12-25|LT; 한국어 교재|Korean Language Textbook|15-29|LT
        수학 교구 세트|Math Manipulatives Set|19-79|M; 천체 망원경|Astronomical Telescope|59-390|M
        학생용 현미경|Student Microscope|39-190|M; 한글 자석 교구|Hangul Magnet Blocks|12-39|P
        전자 회로 블록|Electronic Circuit Blocks|29-129|M""",
}

# Per category: share of firms (weight), hall, and firm-name suffixes "Korean|English".
CATEGORIES = {
    "ai": (7, "A", "에이아이|AI 인텔리전스|Intelligence 데이터|Data 랩스|Labs 소프트|Soft"),
    "robot": (7, "A", "로보틱스|Robotics 로봇|Robot 메카|Mecha 오토메이션|Automation"),
    "3d-printing": (4, "A", "쓰리디|3D 프린텍|Printech 메이커스|Makers 팹|Fab"),
    "drone": (5, "A", "드론|Drone 에어로|Aero 스카이|Sky 항공|Aviation"),
    "iot": (8, "A", "테크|Tech 시스템|Systems 네트웍스|Networks 일렉트로닉스|Electronics 스마트|Smart"),
    "defence": (3, "A", "디펜스|Defense 방산|Defence_Industries 택티컬|Tactical"),
    "safety": (7, "B", "세이프티|Safety 안전산업|Safety_Industries 가드|Guard 산업|Industrial"),
    "tools": (6, "B", "공구|Tools 정밀|Precision 기계|Machinery 툴텍|Tooltech"),
    "office": (5, "B", "오피스|Office 퍼니처|Furniture 상사|Trading 사무기기|Office_Machines"),
    "stationery": (5, "B", "문구|Stationery 페이퍼|Paper 아트|Art"),
    "education": (5, "B", "에듀|Edu 에듀테크|Edutech 교육|Education 러닝|Learning"),
    "health": (7, "C", "메디칼|Medical 헬스케어|Healthcare 바이오|Bio 메디텍|Meditech"),
    "beauty": (7, "C", "코스메틱|Cosmetics 뷰티|Beauty 바이오랩|Biolab"),
    "kitchen": (6, "C", "키친|Kitchen 리빙|Living 주방|Kitchenware 홈웨어|Homeware"),
    "textile": (4, "C", "텍스타일|Textile 섬유|Fiber 패션|Fashion 어패럴|Apparel"),
    "eco": (6, "C", "에코|Eco 그린|Green 리사이클|Recycle 환경|Environment"),
    "food": (13, "D", "농산|Agro 푸드|Foods 팜|Farm 수산|Fisheries 식품|Food"),
}
TECH = {"ai", "robot", "3d-printing", "drone", "iot", "defence"}
# Legal forms: Korean written form, English pattern, how often each is seen.
LEGAL = [("(주){}", "{} Co., Ltd.", 4), ("주식회사 {}", "{} Inc.", 1), ("(유){}", "{} Ltd.", 1)]
FARM_LEGAL = [("농업회사법인 (주){}", "{} Agricultural Corp.", 2), ("영농조합법인 {}", "{} Farming Association", 1)]

STEMS = """한빛|Hanbit 누리|Nuri 미래|Mirae 세움|Seum 다온|Daon 가람|Garam 솔빛|Solbit 하늘|Haneul 바다|Bada
    청솔|Cheongsol 으뜸|Eutteum 새봄|Saebom 온누리|Onnuri 한결|Hangyeol 참빛|Chambit 해솔|Haesol 아라|Ara
    별빛|Byeolbit 초록|Chorok 대한|Daehan 동해|Donghae 서해|Seohae 태양|Taeyang 금강|Geumgang 백두|Baekdu
    한라|Halla 푸른|Pureun 은하|Eunha 나래|Narae 보람|Boram 슬기|Seulgi 다솜|Dasom 이룸|Irum 빛가람|Bitgaram
    새한|Saehan 신성|Sinseong 제일|Jeil 삼정|Samjeong 유진|Yujin 경원|Gyeongwon 세종|Sejong 광명|Gwangmyeong
    우리|Uri 네오|Neo 지오|Geo 하이|Hi 에이스|Ace 케이|K 코리아|Korea 한울|Hanul 가온|Gaon 여울|Yeoul
    마루|Maru 미르|Mir 아띠|Atti 늘봄|Neulbom 해밀|Haemil 라온|Raon 도담|Dodam 한별|Hanbyeol 단비|Danbi
    청명|Cheongmyeong 소망|Somang 진성|Jinseong 대성|Daeseong 동양|Dongyang 서울|Seoul 부산|Busan 대구|Daegu
    인천|Incheon 광주|Gwangju 대전|Daejeon 울산|Ulsan 창원|Changwon 전주|Jeonju 청주|Cheongju 원주|Wonju
    포항|Pohang 경기|Gyeonggi 강원|Gangwon 제주|Jeju 호남|Honam 영남|Yeongnam 중앙|Jungang 태평|Taepyeong"""
REGIONS = """이천|Icheon 청송|Cheongsong 나주|Naju 제주|Jeju 상주|Sangju 영광|Yeonggwang 완도|Wando
    횡성|Hoengseong 보성|Boseong 고창|Gochang 금산|Geumsan 영동|Yeongdong 의성|Uiseong 해남|Haenam"""
COLOURS = ("화이트|White 블랙|Black 그레이|Gray 네이비|Navy 베이지|Beige 레드|Red 블루|Blue "
           "그린|Green 옐로|Yellow 올리브|Olive 핑크|Pink 실버|Silver")


def pairs(table):
    """Split "ko|en ko|en ..." into a list of (ko, en); "_" stands for a space inside a name."""
    return [tuple(word.replace("_", " ").split("|")) for word in table.split()]


# Ordered small to large so that the price can grow with the variant.
VARIANTS = {
    "W": [(v, v) for v in ("300g", "500g", "1kg", "2kg")],
    "K": [(v, v) for v in ("2kg", "3kg", "5kg", "10kg")],
    "V": [(v, v) for v in ("30ml", "50ml", "100ml", "200ml", "500ml")],
    "P": [(f"{n}개입", f"{n}-Pack") for n in (3, 5, 10, 20, 30)],
    "D": [(v, v) for v in ("20cm", "24cm", "26cm", "28cm", "30cm")],
    "L": [(f"{n}단계", f"Level {n}") for n in (1, 2, 3, 4)],
    "S": [(v, v) for v in ("S", "M", "L", "XL", "2XL")],
    "Z": [(f"{n}mm", f"{n}mm") for n in range(230, 295, 5)],
    "H": [(f"{n}호", f"No. {n}") for n in (13, 17, 21, 23, 25)],
    "C": pairs(COLOURS),
    "O": pairs("블랙|Black 올리브|Olive 코요테|Coyote 카키|Khaki 멀티캠|Multicam"),
}
GRADED = "WKVPDL"


def parse_items():
    """Turn ITEMS into {category: [(ko, en, low, high, kinds), ...]}."""
    table = {}
    for category, text in ITEMS.items():
        rows = []
        for entry in text.replace("\n", ";").split(";"):
            ko, en, price, kinds = (part.strip() for part in entry.split("|"))
            low, high = (int(p) * 1000 for p in price.split("-"))
            rows.append((ko, en, low, high, kinds))
        table[category] = rows
    return table


def ean13(first12: str) -> str:
    """Append the EAN-13 check digit (weights 1,3,1,3... from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def expo_price(raw: float, rng: random.Random) -> int:
    """Round to a fair's sign price: mostly just under a round figure (3,900, 189,000)."""
    step = 1_000 if raw < 100_000 else 10_000
    whole = max(1, round(raw / step)) * step
    price = whole - step // 10 if rng.random() < 0.7 else whole
    if price >= 1_000_000 and price % 10_000:
        price = whole - step  # 1,890,000, not 1,899,000
    return min(MAX_PRICE, max(MIN_PRICE, price))


def product_counts(firms: int, products: int, rng: random.Random) -> list[int]:
    """Products per firm, 1-8, mostly 2-4, adding up to exactly `products`."""
    counts = rng.choices(range(1, 9), weights=(10, 24, 28, 20, 8, 5, 3, 2), k=firms)
    while sum(counts) != products:
        i = rng.randrange(firms)
        if sum(counts) < products and counts[i] < 8:
            counts[i] += 1
        elif sum(counts) > products and counts[i] > 1:
            counts[i] -= 1
    return counts


def make_firms(n: int, rng: random.Random) -> list[dict]:
    """`n` firms with unique names, company codes and booths, in booth order."""
    stems, cats = pairs(STEMS), list(CATEGORIES)
    free = {hall: [f"{hall}-{r}{b:02d}" for r in range(1, ROWS + 1) for b in range(1, PER_ROW + 1)]
            for hall in HALLS}
    for booths in free.values():
        rng.shuffle(booths)
    codes = rng.sample(range(10_000, 100_000), n)
    firms, seen = [], set()
    while len(firms) < n:
        category = rng.choices(cats, weights=[c[0] for c in CATEGORIES.values()])[0]
        _, hall, suffixes = CATEGORIES[category]
        (stem_ko, stem_en), (suf_ko, suf_en) = rng.choice(stems), rng.choice(pairs(suffixes))
        if (stem_ko + suf_ko) in seen or (stem_en + suf_en) in seen:
            continue  # a firm is found by name at the POS, so no two may share one
        seen.update((stem_ko + suf_ko, stem_en + suf_en))
        legal = FARM_LEGAL + LEGAL if category == "food" else LEGAL
        ko_form, en_form, _ = rng.choices(legal, weights=[form[2] for form in legal])[0]
        # Halls are laid out by trade; a firm that came late goes wherever a booth is left.
        hall = hall if free[hall] else max(free, key=lambda h: len(free[h]))
        firms.append({
            "firm": ko_form.format(stem_ko + suf_ko), "firm_en": en_form.format(f"{stem_en} {suf_en}"),
            "brand": (stem_ko, stem_en), "prefix": (stem_en[0] + suf_en[0]).upper(),
            "category": category, "booth": free[hall].pop(), "code": codes.pop(),
            "startup": rng.random() < 0.18, "excellent": rng.random() < 0.12,
            "ces": category in TECH and rng.random() < 0.2,
        })
    return sorted(firms, key=lambda f: f["booth"])


def product_name(item, firm, rng, branded):
    """(Korean, English, position 0-1 within the item's price range)."""
    ko, en, _, _, kinds = item
    before, after, extras = [], [], []          # lists of (ko, en)
    position = rng.random()
    if branded:
        before.append(firm["brand"])
    if "R" in kinds:
        before.append(rng.choice(pairs(REGIONS)))
    if "X" in kinds and rng.random() < 0.5:
        before.append(("스마트", "Smart"))
    if "M" in kinds:
        model = f"{firm['prefix']}-{rng.randrange(100, 1000, 10)}{rng.choice(['', '', '', 'S', 'X', 'N'])}"
        after.append((model, model))
    for kind in kinds:
        if kind in VARIANTS:
            options = VARIANTS[kind]
            i = rng.randrange(len(options))
            if kind in GRADED:
                position = (i + rng.random()) / len(options)
                after.append(options[i])
            else:
                extras.append(options[i])
    names = []
    for lang, base in enumerate((ko, en)):
        words = [w[lang] for w in before] + [base] + [w[lang] for w in after]
        note = f" ({', '.join(w[lang] for w in extras)})" if extras else ""
        names.append(" ".join(words) + note)
    return names[0], names[1], position


def tags_for(firm, rng):
    """The semicolon-joined tags of one product, in TAGS order."""
    category = firm["category"]
    eco = {"eco": 0.6, "textile": 0.15, "office": 0.1, "stationery": 0.15, "kitchen": 0.1, "food": 0.15}
    chosen = {
        # 혁신제품 designation goes mostly to technology, so weight it there.
        "innovative-product": rng.random() < (0.25 if category in TECH else 0.11),
        "excellent-procurement": firm["excellent"] and rng.random() < 0.7,
        "eco-certified": rng.random() < eco.get(category, 0.02),
        "startup": firm["startup"],
        "ces-showcase": firm["ces"] and rng.random() < 0.6,
        "made-in-korea": rng.random() < 0.2,
    }
    return ";".join(tag for tag in TAGS if chosen[tag])


def build(firms: int, products: int, seed: int) -> list[dict]:
    """Every catalog row, in booth order, from the seed alone."""
    rng = random.Random(seed)
    items, rows, names = parse_items(), [], set()
    hall_firms = make_firms(firms, rng)
    for firm, count in zip(hall_firms, product_counts(firms, products, rng)):
        pool = items[firm["category"]]
        picks = rng.sample(pool, min(count, len(pool)))
        picks += rng.choices(pool, k=count - len(picks))
        item_no = rng.randrange(1, 5_000)
        for item in picks:
            # Two firms at a fair can sell the same apples; a name is kept unique anyway so
            # that a search result or a receipt line points at one product.
            for attempt in range(200):
                name_ko, name_en, position = product_name(item, firm, rng, branded=attempt >= 20)
                if name_ko not in names:
                    break
            else:
                raise RuntimeError(f"no unique name left for {item[0]}")
            names.add(name_ko)
            low, high = item[2], item[3]
            price = expo_price(low * (high / low) ** position, rng)
            item_no += rng.randint(1, 7)
            rows.append({
                "sku": f"P{len(rows) + 1:05d}", "barcode": ean13(f"880{firm['code']:05d}{item_no:04d}"),
                "name": name_ko, "name_en": name_en, "firm": firm["firm"], "firm_en": firm["firm_en"],
                "booth": firm["booth"], "category": firm["category"], "price": price,
                "stock": rng.randint(6, 30) if price >= 500_000 else
                rng.randint(10, 120) if price >= 100_000 else rng.randint(20, 400),
                "tax_free": int("T" in item[4]), "tags": tags_for(firm, rng),
                "image": SAMPLE_IMAGES.get(item[0], ""),
            })
    # Exact shares so the kiosks' sold-out and low-stock states always have examples.
    scarce = rng.sample(range(len(rows)), round(len(rows) * 0.03))
    sold_out = round(len(rows) * 0.01)
    for n, i in enumerate(scarce):
        rows[i]["stock"] = 0 if n < sold_out else rng.randint(1, 5)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("catalog.csv"),
                        help="CSV file to write (default: catalog.csv beside this script)")
    parser.add_argument("--firms", type=int, default=660, help="exhibiting firms (default: 660)")
    parser.add_argument("--products", type=int, default=2200, help="products in all (default: 2200)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default: 2025)")
    args = parser.parse_args(argv)
    booths = len(HALLS) * ROWS * PER_ROW
    if not 1 <= args.firms <= booths:
        parser.error(f"--firms must be between 1 and {booths}, one booth each")
    if not args.firms <= args.products <= 8 * args.firms:
        parser.error("--products must be between --firms and 8 times --firms")
    rows = build(args.firms, args.products, args.seed)
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{args.out}: {args.firms} firms, {len(rows)} products, "
          f"{sum(r['tax_free'] for r in rows)} tax-free, {sum(r['stock'] == 0 for r in rows)} sold out")


if __name__ == "__main__":
    main()
