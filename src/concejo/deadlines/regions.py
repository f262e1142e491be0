"""INE province code → autonomous community (subdivision code of the `holidays` package)."""

PROVINCE_REGION = {
    "01": "PV", "02": "CM", "03": "VC", "04": "AN", "05": "CL", "06": "EX", "07": "IB",
    "08": "CT", "09": "CL", "10": "EX", "11": "AN", "12": "VC", "13": "CM", "14": "AN",
    "15": "GA", "16": "CM", "17": "CT", "18": "AN", "19": "CM", "20": "PV", "21": "AN",
    "22": "AR", "23": "AN", "24": "CL", "25": "CT", "26": "RI", "27": "GA", "28": "MD",
    "29": "AN", "30": "MC", "31": "NC", "32": "GA", "33": "AS", "34": "CL", "35": "CN",
    "36": "GA", "37": "CL", "38": "CN", "39": "CB", "40": "CL", "41": "AN", "42": "CL",
    "43": "CT", "44": "AR", "45": "CM", "46": "VC", "47": "CL", "48": "PV", "49": "CL",
    "50": "AR", "51": "CE", "52": "ML",
}  # fmt: skip


def region_of(municipality_ine: str) -> str | None:
    return PROVINCE_REGION.get((municipality_ine or "")[:2])
