"""Writes config/demos.csv: the hall's live demo program, one row per session.

Sessions are given by the show's day (1, 2, 3) and time (HH:MM), not by date: the hub lays them out from
hall.toml's [show] first_day (or the day the hall is first started), so the same file serves any show.
Deterministic, so the committed file can be checked against this script.
  python config/make_demos.py [--out config/demos.csv] [--days 3]
"""
import argparse
import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent

# demo_id, name, name_en, firm, booth, minutes, capacity, description, description_en
PROGRAM = [
    ("AI-INTERP", "AI 실시간 통역기 체험", "Real-time AI Interpreter", "(주)다온시스템", "A-101", 30, 12,
     "한국어·영어·중국어 동시통역을 직접 말해 보세요.", "Speak and hear Korean, English and Chinese at once."),
    ("COBOT", "협동로봇 바리스타 시연", "Collaborative Robot Barista", "(주)유진로보틱스", "A-103", 30, 16,
     "협동로봇이 내리는 커피를 맛보세요.", "Taste coffee made by a collaborative robot arm."),
    ("3DP-METAL", "금속 3D 프린팅 라이브", "Metal 3D Printing Live", "(주)한울적층기술", "A-118", 45, 10,
     "금속 분말 적층 과정을 가까이서 봅니다.", "Watch metal powder printing up close."),
    ("DRONE-RESCUE", "구조 드론 비행 시연", "Rescue Drone Flight", "(주)하늘드론", "A-142", 30, 20,
     "실내 안전망 안에서 구조 드론이 비행합니다.", "A rescue drone flies inside the safety net."),
    ("CES-AMR", "CES 혁신상 자율주행 로봇", "CES Innovation Award AMR", "(주)모빌리티랩", "A-150", 30, 14,
     "CES 혁신상 수상 자율주행 물류로봇을 만나 보세요.", "Meet the CES award-winning autonomous mobile robot."),
    ("DEF-EXO", "국방 웨어러블 외골격 체험", "Defence Wearable Exoskeleton", "(주)강철웨어러블", "B-210", 40, 6,
     "외골격을 착용하고 20kg을 들어 봅니다.", "Wear an exoskeleton and lift 20 kg."),
    ("SMART-FARM", "스마트팜 수직농장 투어", "Vertical Smart Farm Tour", "농업회사법인 푸른들", "D-402", 30, 15,
     "AI가 키우는 수직농장을 둘러봅니다.", "Tour a vertical farm grown by AI."),
    ("VR-SAFETY", "VR 산업안전 교육", "VR Industrial Safety Training", "(주)세이프에듀", "B-233", 20, 8,
     "VR로 추락·화재 상황을 체험합니다.", "Experience falls and fires safely in VR."),
    ("EDU-CODING", "어린이 코딩 로봇 교실", "Kids' Coding Robot Class", "(주)코딩키즈", "B-260", 40, 12,
     "초등학생과 보호자가 함께하는 코딩 수업.", "A coding class for children with a parent."),
    ("AI-VISION", "AI 비전 불량검사 데모", "AI Vision Defect Inspection", "(주)비전에이아이", "A-127", 30, 12,
     "카메라가 불량품을 골라내는 과정을 봅니다.", "See a camera pick out defective parts."),
]
SESSION_HOURS = (10, 11, 13, 14, 15, 16)


def rows(days: int):
    for day in range(1, days + 1):
        for demo_id, name, name_en, firm, booth, minutes, capacity, description, description_en in PROGRAM:
            for hour in SESSION_HOURS:
                # Stagger the demos by booth so the hall is not silent between sessions.
                minute = (sum(map(ord, demo_id)) % 4) * 10
                yield [demo_id, name, name_en, firm, booth, description, description_en, day,
                       f"{hour:02d}:{minute:02d}", minutes, capacity]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE / "demos.csv"))
    parser.add_argument("--days", type=int, default=3, help="how many days the show lasts")
    args = parser.parse_args()
    program = list(rows(args.days))
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["demo_id", "name", "name_en", "firm", "booth", "description", "description_en",
                         "day", "time", "minutes", "capacity"])
        writer.writerows(program)
    print(f"{args.out}: {len(PROGRAM)} demos, {len(program)} sessions over {args.days} days")


if __name__ == "__main__":
    main()
