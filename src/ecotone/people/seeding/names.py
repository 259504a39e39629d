# ruff: noqa: RUF001 (Turkish names use the dotless i)
"""Names and places of the demo company, written for Ecotone.

Names are grouped by culture so that a person's first and last names usually belong together, and
each office draws most of its people from the cultures of its city (the rest come from anywhere:
companies are international). Names are romanised, with their usual accents.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Culture:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _list(text: str) -> tuple[str, ...]:
    """For names with spaces in them ("van den Berg"): a comma-separated list."""
    return tuple(part.strip() for part in text.split(","))


CULTURES: dict[str, Culture] = {
    "english": Culture(
        _words(
            "Olivia Amelia Isla Grace Freya Ruby Harriet Imogen Matilda Phoebe Eleanor Hazel "
            "Oliver Harry George Arthur Theo Alfie Jack Henry Rory Callum Finlay Owen Ethan "
            "Madison Brooke Tyler Logan Jordan Riley Morgan"
        ),
        _words(
            "Smith Jones Taylor Brown Williams Wilson Evans Thomas Roberts Walker Wright Hughes "
            "Green Hall Clarke Turner Cooper Ward Morris Fletcher Bennett Harper Whitaker Ellis "
            "Lawson Pritchard Sutton Caldwell Barnes Hayes"
        ),
    ),
    "irish_scottish": Culture(
        _words(
            "Aoife Siobhan Niamh Saoirse Orla Caoimhe Ciara Eilidh Mairi Isla Cormac Oisin "
            "Cian Padraig Eoin Declan Ruairi Fergus Hamish Angus Euan Lachlan"
        ),
        _words(
            "Murphy Kelly O'Brien Byrne Walsh O'Sullivan Doyle McCarthy Gallagher Quinn "
            "MacLeod Campbell Fraser Robertson Sinclair MacKenzie Munro Buchanan Kennedy Moran"
        ),
    ),
    "french": Culture(
        _words(
            "Camille Léa Chloé Manon Inès Juliette Louise Margaux Élise Clémence Agathe Romane "
            "Lucas Hugo Théo Mathis Louis Arthur Jules Antoine Baptiste Maxime Quentin Étienne"
        ),
        _words(
            "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefèvre "
            "Girard Bonnet Dupont Lambert Fontaine Rousseau Chevalier Garnier Faure Mercier "
            "Blanchard Guérin Perrin"
        ),
    ),
    "german": Culture(
        _words(
            "Hannah Emma Mia Lena Lea Johanna Anna Greta Clara Katharina Sophie Mareike "
            "Jonas Leon Felix Lukas Maximilian Paul Niklas Moritz Tobias Jan Florian Matthias"
        ),
        _words(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch "
            "Richter Klein Wolf Schröder Neumann Zimmermann Braun Krüger Hartmann Lange Vogel "
            "Friedrich Brandt"
        ),
    ),
    "dutch": Culture(
        _words(
            "Sanne Lotte Fleur Femke Anouk Eva Noor Tess Maud Daan Bram Sem Thijs Ruben Joris "
            "Stijn Jelle Wouter Pieter"
        ),
        _list(
            "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Visser, Smit, Meijer, "
            "de Boer, Mulder, Bos, Vos, Hendriks, Dekker, Brouwer, Kuipers, van Leeuwen"
        ),
    ),
    "nordic": Culture(
        _words(
            "Astrid Ingrid Freja Saga Elin Maja Sigrid Linnea Nora Ida Emil Oskar Lars Nils "
            "Magnus Henrik Erik Anders Mikkel Jonas Sindre Aksel"
        ),
        _words(
            "Andersson Johansson Karlsson Nilsson Eriksson Larsen Hansen Nielsen Jensen "
            "Lindqvist Berg Dahl Halvorsen Virtanen Korhonen Mäkinen Lindgren Holm Sandberg"
        ),
    ),
    "spanish": Culture(
        _words(
            "Lucía Sofía Martina María Paula Valeria Carmen Alba Irene Elena Nerea Ainhoa "
            "Hugo Pablo Álvaro Javier Daniel Sergio Adrián Diego Iker Marcos Raúl Jorge"
        ),
        _words(
            "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín "
            "Jiménez Ruiz Hernández Díaz Moreno Álvarez Romero Navarro Torres Domínguez "
            "Gil Serrano Ortega Castillo"
        ),
    ),
    "latin_american": Culture(
        _words(
            "Valentina Camila Ximena Renata Daniela Fernanda Regina Mariana Guadalupe Luciana "
            "Santiago Mateo Sebastián Emiliano Leonardo Diego Joaquín Andrés Rodrigo Alejandro "
            "Tomás Gael"
        ),
        _words(
            "Hernández García Martínez López González Rodríguez Pérez Ramírez Flores Cruz "
            "Morales Reyes Gutiérrez Ortiz Vargas Castro Mendoza Rojas Aguilar Herrera "
            "Medina Salazar Villanueva Cárdenas"
        ),
    ),
    "portuguese": Culture(
        _words(
            "Ana Beatriz Mariana Leonor Inês Carolina Matilde Larissa Gabriela Júlia Letícia "
            "Thaís João Rodrigo Tiago Gonçalo Duarte Rafael Gustavo Felipe Bruno Vinícius "
            "Caio Luan"
        ),
        _words(
            "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Almeida Sousa "
            "Carvalho Ribeiro Gomes Lopes Barbosa Cardoso Nascimento Araújo Moura Teixeira "
            "Correia Pinto Azevedo Monteiro"
        ),
    ),
    "italian": Culture(
        _words(
            "Giulia Chiara Francesca Alessia Martina Sara Federica Beatrice Aurora Ginevra "
            "Lorenzo Matteo Alessandro Leonardo Francesco Riccardo Tommaso Davide Andrea "
            "Gabriele Pietro"
        ),
        _list(
            "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, "
            "Gallo, Conti, De Luca, Giordano, Mancini, Rizzo, Lombardi, Moretti, Barbieri, Fontana"
        ),
    ),
    "polish": Culture(
        _words(
            "Zuzanna Julia Maja Zofia Hanna Aleksandra Natalia Wiktoria Agnieszka Magdalena "
            "Jakub Kacper Szymon Filip Mateusz Bartosz Michał Wojciech Łukasz Paweł Tomasz"
        ),
        _words(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
            "Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Krawczyk Piotrowski "
            "Grabowski Pawlak"
        ),
    ),
    "ukrainian": Culture(
        _words(
            "Olena Iryna Oksana Kateryna Yulia Daryna Sofiia Anastasiia Tetiana Mariia "
            "Oleksandr Andrii Dmytro Serhii Taras Bohdan Mykola Yaroslav Vladyslav Artem"
        ),
        _words(
            "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Oliinyk Melnyk Boiko "
            "Kovalchuk Moroz Lysenko Marchenko Savchenko Rudenko Pavlenko Polishchuk"
        ),
    ),
    "greek": Culture(
        _words(
            "Eleni Maria Katerina Sofia Dimitra Georgia Vasiliki Ioanna Georgios Dimitris "
            "Nikos Kostas Yannis Christos Panagiotis Stavros Alexandros"
        ),
        _words(
            "Papadopoulos Pappas Georgiou Nikolaidis Vlachos Oikonomou Karagiannis "
            "Papadakis Antoniou Dimitriou Makris Alexiou Christodoulou Stavrou"
        ),
    ),
    "turkish": Culture(
        _words(
            "Zeynep Elif Ayşe Defne Ecem Merve Selin Büşra Emre Mehmet Mustafa Can Burak "
            "Kerem Yusuf Onur Deniz Ozan Arda"
        ),
        _words(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan "
            "Doğan Kılıç Aslan Koç Kurt Özkan Polat"
        ),
    ),
    "arabic": Culture(
        _words(
            "Layla Noor Yasmin Mariam Fatima Salma Rania Hana Amira Dalia Omar Youssef "
            "Karim Ahmed Tariq Hassan Khalid Samir Rami Ziad Bilal Nabil"
        ),
        _words(
            "Haddad Khalil Nasser Mansour Saleh Hamdan Aziz Farouk Haddadin Kassem Darwish "
            "Sabbagh Barakat Habib Rahman Abboud Najjar Khoury Bakri Zidane"
        ),
    ),
    "persian": Culture(
        _words(
            "Shirin Parisa Niloufar Mahsa Yasaman Leila Sara Ladan Arash Dariush Kian "
            "Babak Omid Reza Farhad Kaveh Navid"
        ),
        _words(
            "Hosseini Ahmadi Karimi Rahimi Moradi Jafari Rostami Tehrani Sadeghi Kazemi "
            "Mohammadi Ebrahimi Farahani Shirazi"
        ),
    ),
    "west_african": Culture(
        _words(
            "Adaeze Chiamaka Ngozi Folake Funmilayo Yewande Amara Adwoa Akosua Efua Aisha "
            "Zainab Chinedu Emeka Obinna Tunde Babatunde Olumide Kwame Kofi Kwabena Yaw "
            "Ibrahim Musa"
        ),
        _words(
            "Okafor Okonkwo Eze Nwosu Adeyemi Adebayo Ogunleye Balogun Afolabi Oyelaran "
            "Mensah Owusu Boateng Asante Osei Appiah Danjuma Bello Abubakar Ibekwe Chukwu "
            "Oladipo"
        ),
    ),
    "east_african": Culture(
        _words(
            "Wanjiru Akinyi Njeri Wambui Achieng Nafula Zawadi Imani Makena Amani Mwangi "
            "Kamau Otieno Kiprono Baraka Juma Omondi Kibet Tewodros Dawit Selam Hiwot"
        ),
        _words(
            "Mwangi Kamau Otieno Odhiambo Wanjiku Kariuki Njoroge Ochieng Kiptoo Cheruiyot "
            "Mutua Wekesa Nyambura Mohamed Tesfaye Bekele Haile Girma"
        ),
    ),
    "north_indian": Culture(
        _words(
            "Priya Ananya Aditi Neha Pooja Riya Kavya Shreya Ishita Meera Aarav Rohan Arjun "
            "Vikram Rahul Aditya Karan Siddharth Nikhil Amit Manish Varun"
        ),
        _words(
            "Sharma Verma Gupta Singh Kumar Mehta Malhotra Kapoor Agarwal Joshi Chopra Saxena "
            "Bhatia Chauhan Mishra Pandey Tiwari Srivastava Bansal"
        ),
    ),
    "south_indian": Culture(
        _words(
            "Lakshmi Divya Keerthana Sneha Anusha Deepika Harini Swathi Nandini Kavitha Arun "
            "Karthik Suresh Ramesh Venkat Prakash Srinivas Ganesh Harish Naveen Vignesh"
        ),
        _words(
            "Iyer Krishnan Subramanian Nair Menon Reddy Rao Pillai Raghavan Naidu Hegde "
            "Shetty Venkatesan Ramachandran Balasubramanian Gowda Chandrasekhar Murthy"
        ),
    ),
    "chinese": Culture(
        _words(
            "Wei Fang Jing Li Min Xiu Ying Hui Lan Mei Jun Hao Lei Yang Tao Qiang Chen Bo "
            "Xin Yu Jie Ming Zhen Kai"
        ),
        _words(
            "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin "
            "Gao Luo Tan Lim Ng Goh Teo"
        ),
    ),
    "japanese": Culture(
        _words(
            "Yui Aoi Hina Sakura Haruka Yuna Mio Rin Akari Emi Haruto Sota Yuto Ren Kaito "
            "Takumi Daiki Kenji Hiroshi Shota Riku"
        ),
        _words(
            "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato "
            "Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori"
        ),
    ),
    "korean": Culture(
        _words(
            "Ji-woo Seo-yeon Min-ji Ha-eun Soo-ah Ye-jin Da-eun Eun-ji Min-jun Seo-jun "
            "Do-yun Ji-ho Hyun-woo Joon-young Tae-yang Sung-min"
        ),
        _words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin Seo Kwon Hwang Song Jeon"),
    ),
    "vietnamese": Culture(
        _words(
            "Linh Trang Huong Thao Ngoc Mai Lan Anh Phuong Hanh Minh Duc Tuan Huy Nam Long "
            "Quang Khoa Thanh Bao"
        ),
        _words("Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh"),
    ),
    "filipino": Culture(
        _words(
            "Maria Angelica Kristine Mae Joy Jasmine Patricia Bea Andrea Camille Jose Mark "
            "John Paolo Miguel Carlo Rafael Jericho Nico Emmanuel"
        ),
        _words(
            "Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrada Castillo "
            "Flores Villanueva Ramos Castro Rivera Aquino Navarro Dizon Manalo"
        ),
    ),
    "malay_indonesian": Culture(
        _words(
            "Siti Nurul Aisyah Putri Dewi Ayu Intan Farah Ahmad Muhammad Hafiz Rizky Arif "
            "Budi Dimas Fajar Irfan Wahyu"
        ),
        _words(
            "Abdullah Rahman Ismail Hamid Yusof Ibrahim Hassan Salleh Santoso Wijaya "
            "Susanto Hidayat Kusuma Pratama Setiawan Saputra Halim Nugroho"
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where someone works: an office city, or a country they work remotely from."""

    name: str
    time_zone: str
    cultures: tuple[str, ...]
    office: bool = True


OFFICES: tuple[Place, ...] = (
    Place("London", "Europe/London", ("english", "irish_scottish", "north_indian")),
    Place("Paris", "Europe/Paris", ("french", "arabic", "west_african")),
    Place("Berlin", "Europe/Berlin", ("german", "turkish", "polish")),
    Place("Lisbon", "Europe/Lisbon", ("portuguese", "spanish")),
    Place("Amsterdam", "Europe/Amsterdam", ("dutch", "german", "nordic")),
    Place("New York", "America/New_York", ("english", "latin_american", "chinese", "italian")),
    Place("Toronto", "America/Toronto", ("english", "chinese", "south_indian", "persian")),
    Place("Mexico City", "America/Mexico_City", ("latin_american",)),
    Place("São Paulo", "America/Sao_Paulo", ("portuguese", "japanese", "italian")),
    Place("Lagos", "Africa/Lagos", ("west_african",)),
    Place("Nairobi", "Africa/Nairobi", ("east_african",)),
    Place("Bengaluru", "Asia/Kolkata", ("south_indian", "north_indian")),
    Place("Singapore", "Asia/Singapore", ("chinese", "malay_indonesian", "south_indian")),
)

REMOTE: tuple[Place, ...] = (
    Place("Remote (Spain)", "Europe/Madrid", ("spanish",), office=False),
    Place("Remote (Poland)", "Europe/Warsaw", ("polish", "ukrainian"), office=False),
    Place("Remote (Ireland)", "Europe/Dublin", ("irish_scottish",), office=False),
    Place("Remote (Greece)", "Europe/Athens", ("greek",), office=False),
    Place("Remote (Sweden)", "Europe/Stockholm", ("nordic",), office=False),
    Place("Remote (US Central)", "America/Chicago", ("english", "latin_american"), office=False),
    Place("Remote (US Pacific)", "America/Los_Angeles", ("english", "korean"), office=False),
    Place("Remote (Japan)", "Asia/Tokyo", ("japanese",), office=False),
    Place("Remote (South Korea)", "Asia/Seoul", ("korean",), office=False),
    Place("Remote (Vietnam)", "Asia/Ho_Chi_Minh", ("vietnamese",), office=False),
    Place("Remote (Philippines)", "Asia/Manila", ("filipino",), office=False),
    Place("Remote (Egypt)", "Africa/Cairo", ("arabic",), office=False),
)

PLACES: tuple[Place, ...] = OFFICES + REMOTE
